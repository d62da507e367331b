"""The read fast path: anonymous GETs answered from memory while the data has not changed.

Dashboards poll the same URLs every few seconds. For an anonymous API GET this middleware reads
the public clock once (one tiny query, left for `conditional_get` to use), then answers a 304 or
the stored bytes without entering the app; it stores the answers that `conditional_get` marked
public, with the data version they were made at. A URL it holds nothing for, asked without
If-None-Match, goes to the app without that read: the app reads the clock with its answer. A
public change anywhere moves that clock, so every instance stops serving old bytes at once; a
draft or a review moves nothing public.
"""

import asyncio
import logging
from collections import OrderedDict
from dataclasses import dataclass
from urllib.parse import parse_qsl

from prometheus_client import Counter
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.access import PUBLIC_SCOPE
from app.changes.clock import ClockReader
from app.core.etags import data_version
from app.core.urls import API_PREFIX, PAGE_PATHS
from app.engines.base import UnavailableError
from app.http.compression import accepts_gzip
from app.http.conditional import (
    CLOCK_STATE,
    REPRESENTATION_STATE,
    Representation,
    not_modified_headers,
    tags_too_long,
)
from app.http.context import ROUTE_STATE, route_named
from app.http.credentials import carries_a_key

log = logging.getLogger(__name__)
# Exports are streamed, and large; a log record's current state is what a verifier compares
# with the log, so it is read from the database every time (a row changed behind the app's
# back does not move the data version).
UNCACHED_PREFIXES = (f"{API_PREFIX}/exports/", f"{API_PREFIX}/log/records")
LOOKUPS = Counter(
    "vpr_response_cache_total",
    "Anonymous API GETs by what the response cache did: hit (stored bytes), not_modified "
    "(304 without the app), miss (the app answered), bypass (the clock could not be read).",
    ["result"],
)


@dataclass(frozen=True)
class Stored:
    version: str
    headers: list[tuple[bytes, bytes]]
    body: bytes
    route: str | None  # the template its answer named, for the metrics of a hit


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


def _cacheable(scope: Scope) -> bool:
    """An anonymous GET of the API or a web page, with no key in the URL, and not a streamed
    export."""
    if scope["type"] != "http" or scope["method"] != "GET":
        return False
    path: str = scope["path"]
    if path.startswith(UNCACHED_PREFIXES):
        return False
    if not (path.startswith(f"{API_PREFIX}/") or PAGE_PATHS.match(path)):
        return False
    if _header(scope, b"authorization"):
        return False
    query = scope["query_string"].decode("latin-1")
    return not carries_a_key(parse_qsl(query, keep_blank_values=True))


class ResponseCache:
    def __init__(
        self,
        app: ASGIApp,
        clock: ClockReader,
        max_entries: int = 4096,
        max_body: int = 1 << 20,
        max_bytes: int = 64 << 20,
    ) -> None:
        self.app = app
        self.clock = clock
        self.max_entries = max_entries
        self.max_body = max_body
        # What the bodies held may add up to: many distinct URLs of large answers (a client
        # varying `limit` or `offset`) must not grow the process without bound.
        self.max_bytes = max_bytes
        self.bytes_held = 0
        self.entries: OrderedDict[bytes, Stored] = OrderedDict()
        self.pending: dict[bytes, asyncio.Event] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not _cacheable(scope):
            await self.app(scope, receive, send)  # conditional_get reads the clock itself
            return
        key = _key(scope)
        unheld = key not in self.entries and key not in self.pending
        if unheld and _header(scope, b"if-none-match") is None:
            # Nothing to compare and nothing held: the app reads the clock with its answer (a
            # round trip saved on PostgreSQL for every cold URL), and this stores it.
            await self._miss(key, scope, receive, send)
            return
        try:
            clock_value = await self.clock.current()
        except UnavailableError as exc:
            log.warning("response cache bypassed: %s", exc)
            LOOKUPS.labels("bypass").inc()
            await self.app(scope, receive, send)
            return
        # Read once per request: conditional_get takes this value instead of reading again.
        scope.setdefault("state", {})[CLOCK_STATE] = clock_value
        await self._answer(key, scope, receive, send, data_version(PUBLIC_SCOPE, clock_value))

    async def _answer(
        self, key: bytes, scope: Scope, receive: Receive, send: Send, version: str
    ) -> None:
        if_none_match = _header(scope, b"if-none-match")
        if tags_too_long(if_none_match):
            await self.app(scope, receive, send)  # conditional_get refuses it
            return
        headers = not_modified_headers(if_none_match, PUBLIC_SCOPE, version)
        stored = self.entries.get(key)
        _name_route(scope, stored)
        if headers is not None:
            LOOKUPS.labels("not_modified").inc()
            await _send(send, 304, _encode(headers), b"")
            return
        if stored is None or stored.version != version:
            # One request computes a missing answer; others asking at the same time wait for it
            # rather than all running the same heavy query at once.
            pending = self.pending.get(key)
            if pending is not None:
                await pending.wait()
                stored = self.entries.get(key)
        if stored is not None and stored.version == version:
            self.entries.move_to_end(key)
            LOOKUPS.labels("hit").inc()
            _name_route(scope, stored)
            await _send(send, 200, stored.headers, stored.body)
            return
        await self._miss(key, scope, receive, send)

    async def _miss(self, key: bytes, scope: Scope, receive: Receive, send: Send) -> None:
        LOOKUPS.labels("miss").inc()
        self.pending[key] = done = asyncio.Event()
        try:
            await self._run_and_store(key, scope, receive, send)
        finally:
            if self.pending.get(key) is done:
                del self.pending[key]
            done.set()

    async def _run_and_store(self, key: bytes, scope: Scope, receive: Receive, send: Send) -> None:
        start: Message | None = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                # The headers as the app made them, before outer middleware adds its own.
                start = {**message, "headers": list(message.get("headers", []))}
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, capture)
        shown: Representation | None = scope["state"].get(REPRESENTATION_STATE)
        if start is None or start["status"] != 200 or shown is None or not shown.public:  # noqa: PLR2004
            return
        body = b"".join(chunks)
        if len(body) > self.max_body:
            return
        replaced = self.entries.pop(key, None)
        self.bytes_held -= len(replaced.body) if replaced else 0
        made = Stored(shown.data_version, list(start.get("headers", [])), body, route_named(scope))
        self.entries[key] = made
        self.bytes_held += len(body)
        while len(self.entries) > self.max_entries or self.bytes_held > self.max_bytes:
            _, evicted = self.entries.popitem(last=False)
            self.bytes_held -= len(evicted.body)


def _name_route(scope: Scope, stored: Stored | None) -> None:
    """Name an answer made from memory (a hit, a 304) by the route its stored answer named, so
    the metrics never match its path against every route (a tenth of a cold page's time)."""
    if stored is not None and stored.route is not None:
        scope["state"][ROUTE_STATE] = stored.route


def _key(scope: Scope) -> bytes:
    """One entry per URL and coding the client takes: the gzip-coded bytes are stored as made."""
    coding = b"#gzip" if accepts_gzip(_header(scope, b"accept-encoding")) else b""
    return bytes(scope["path"].encode() + b"?" + scope["query_string"] + coding)


def _encode(headers: dict[str, str]) -> list[tuple[bytes, bytes]]:
    return [(k.lower().encode(), v.encode()) for k, v in headers.items()]


async def _send(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    # A copy: outer middleware may add headers to the message, never to the stored answer.
    await send({"type": "http.response.start", "status": status, "headers": list(headers)})
    await send({"type": "http.response.body", "body": body})
