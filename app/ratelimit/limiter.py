"""Rate limits per key, or per client address without one: policies, decisions and counters.
The middleware that applies them is `app/http/rate_limit.py`.

Reads and writes have separate quotas. Reads count in each process (a dashboard hits one
instance at a time and a stricter shared count would cost a database round trip per read);
writes count where every instance sees them, so their limit holds however many instances run.
"""

import logging
import math
import time
from dataclasses import dataclass

import psycopg
import redis
from starlette.types import Scope

from app import engines
from app.core.config import Settings
from app.core.security import bearer_token, hash_key
from app.core.urls import API_PREFIX
from app.engines.base import UnavailableError
from app.ratelimit.stores import CounterStore, MemoryCounter, RedisCounter

log = logging.getLogger(__name__)
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
EXPORTS_PREFIX = f"{API_PREFIX}/exports/"
STORE_ERRORS = (psycopg.Error, redis.RedisError, OSError, UnavailableError)
REFUSED_KEPT = 10_000  # refused addresses remembered before those of past windows are dropped


@dataclass(frozen=True)
class Policy:
    name: str
    quota: int
    window_s: int = 60

    @property
    def header(self) -> str:
        return f'"{self.name}";q={self.quota};w={self.window_s}'


@dataclass(frozen=True)
class Decision:
    policy: Policy
    hits: int | None  # None: the counter could not be read, so the request was let through
    reset_s: int

    @property
    def exceeded(self) -> bool:
        return self.hits is not None and self.hits > self.policy.quota

    def headers(self) -> list[tuple[bytes, bytes]]:
        headers = [(b"ratelimit-policy", self.policy.header.encode())]
        if self.hits is not None:
            remaining = max(self.policy.quota - self.hits, 0)
            value = f'"{self.policy.name}";r={remaining};t={self.reset_s}'
            headers.append((b"ratelimit", value.encode()))
        return headers


def authorization(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"authorization":
            return str(value.decode("latin-1"))
    return None


def client_address(scope: Scope) -> str:
    client = scope.get("client")
    return client[0] if client else "unknown"


def client_bucket(scope: Scope) -> str:
    """Who is counted: the key as authentication parses it (by its server-side digest, so a
    forged key id cannot use up someone else's quota; `bearer`, `BEARER`... are one key), or
    else the client address."""
    header = authorization(scope)
    token = bearer_token(header) if header is not None else None
    if token is not None:
        return f"key:{hash_key(token)[:32]}"
    return f"ip:{client_address(scope)}"


def _reset_s(policy: Policy, now: float) -> int:
    """Seconds until the policy's current window ends."""
    window = int(now // policy.window_s)
    return max(math.ceil((window + 1) * policy.window_s - now), 1)


class RateLimiter:
    def __init__(
        self,
        reads: Policy,
        writes: Policy,
        read_store: CounterStore,
        write_store: CounterStore,
        failed_auth: Policy | None = None,
        exports: Policy | None = None,
    ) -> None:
        self.reads, self.writes = reads, writes
        self.read_store, self.write_store = read_store, write_store
        # Failed authentications per client address, counted where every instance sees them
        # (each costs a key lookup and an HMAC). Past the quota, an instance refuses that
        # address's keyed requests until the window ends, before any lookup.
        self.failed_auth = failed_auth or Policy("failed-authentications", 20)
        self._refused: dict[str, int] = {}  # client address -> the window it is refused in
        # A whole-registry download is large: its own, lower quota, apart from other reads.
        self.exports = exports or Policy("exports", 30)

    @classmethod
    def from_settings(cls, settings: Settings) -> "RateLimiter":
        write_store: CounterStore
        if settings.redis_url:
            write_store = RedisCounter(settings.redis_url)
        else:
            shared = engines.for_url(settings.database_url).shared_counter(settings.database_url)
            write_store = shared or MemoryCounter()
        return cls(
            Policy("reads", settings.rate_limit_reads_per_minute),
            Policy("writes", settings.rate_limit_writes_per_minute),
            MemoryCounter(),
            write_store,
            Policy("failed-authentications", settings.rate_limit_failed_auth_per_minute),
            Policy("exports", settings.rate_limit_exports_per_minute),
        )

    async def check(self, scope: Scope) -> Decision:
        reading = scope["method"] in READ_METHODS
        policy, store = (
            (self.reads, self.read_store) if reading else (self.writes, self.write_store)
        )
        bucket = client_bucket(scope)
        if reading and scope["path"].startswith(EXPORTS_PREFIX):
            policy, bucket = self.exports, f"exports:{bucket}"
        now = time.time()
        window = int(now // policy.window_s)
        reset_s = _reset_s(policy, now)
        try:
            hits: int | None = await store.hit(bucket, window, policy.window_s)
        except STORE_ERRORS as exc:
            # Fail open: the counter's store being down must not take the registry down with it.
            log.warning("rate-limit counter unavailable: %s", exc.__class__.__name__)
            hits = None
        return Decision(policy, hits, reset_s)

    def refused_authentication(self, scope: Scope) -> Decision | None:
        """A 429 for a keyed request from an address past its failed-authentication quota."""
        if authorization(scope) is None:
            return None
        policy, now = self.failed_auth, time.time()
        window = int(now // policy.window_s)
        if self._refused.get(client_address(scope)) != window:
            return None
        return Decision(policy, policy.quota + 1, _reset_s(policy, now))

    async def authentication_failed(self, scope: Scope) -> None:
        policy, address = self.failed_auth, client_address(scope)
        window = int(time.time() // policy.window_s)
        try:
            hits = await self.write_store.hit(f"auth-fail:{address}", window, policy.window_s)
        except STORE_ERRORS as exc:
            log.warning("rate-limit counter unavailable: %s", exc.__class__.__name__)
            return
        if hits >= policy.quota:
            if len(self._refused) > REFUSED_KEPT:  # addresses of past windows are of no use
                self._refused = {a: w for a, w in self._refused.items() if w == window}
            self._refused[address] = window

    async def aclose(self) -> None:
        await self.read_store.aclose()
        await self.write_store.aclose()
