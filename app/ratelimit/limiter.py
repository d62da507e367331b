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
from app.core.security import hash_key
from app.ratelimit.stores import CounterStore, MemoryCounter, RedisCounter

log = logging.getLogger(__name__)
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
STORE_ERRORS = (psycopg.Error, redis.RedisError, OSError)


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


def client_bucket(scope: Scope) -> str:
    """Who is counted: the key (by its server-side digest, so a forged key id cannot use up
    someone else's quota), or else the client address."""
    for name, value in scope["headers"]:
        if name == b"authorization":
            token = value.decode("latin-1").removeprefix("Bearer ").strip()
            return f"key:{hash_key(token)[:32]}"
    client = scope.get("client")
    return f"ip:{client[0] if client else 'unknown'}"


class RateLimiter:
    def __init__(
        self, reads: Policy, writes: Policy, read_store: CounterStore, write_store: CounterStore
    ) -> None:
        self.reads, self.writes = reads, writes
        self.read_store, self.write_store = read_store, write_store

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
        )

    async def check(self, scope: Scope) -> Decision:
        reading = scope["method"] in READ_METHODS
        policy, store = (
            (self.reads, self.read_store) if reading else (self.writes, self.write_store)
        )
        now = time.time()
        window = int(now // policy.window_s)
        reset_s = max(math.ceil((window + 1) * policy.window_s - now), 1)
        try:
            hits: int | None = await store.hit(client_bucket(scope), window, policy.window_s)
        except STORE_ERRORS as exc:
            # Fail open: the counter's store being down must not take the registry down with it.
            log.warning("rate-limit counter unavailable: %s", exc.__class__.__name__)
            hits = None
        return Decision(policy, hits, reset_s)

    async def aclose(self) -> None:
        await self.read_store.aclose()
        await self.write_store.aclose()
