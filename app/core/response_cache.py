"""The read fast path: anonymous GETs answered from memory while the data has not changed.

Dashboards poll the same URLs every few seconds. Every instance keeps the bytes of each public
answer together with the data version (the change clock) it was made at; a request first reads
the clock (one tiny query), then answers a 304 or the stored bytes without entering the app.
A write anywhere moves the clock, so every instance stops serving old bytes at once.
"""

import asyncio
import logging
from collections import OrderedDict
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.clock_reader import ClockReader, ClockUnavailableError
from app.core.concurrency import etag, still_current
from app.core.conditional import cache_headers
from app.core.routing import API_PREFIX
from app.keys.dependencies import KEY_QUERY_NAMES

log = logging.getLogger(__name__)
UNCACHED_PREFIXES = (f"{API_PREFIX}/exports/",)  # streamed, and large


@dataclass(frozen=True)
class Stored:
    version: str
    headers: list[tuple[bytes, bytes]]
    body: bytes


class ResponseCache:
    def __init__(
        self, app: ASGIApp, clock: ClockReader, max_entries: int = 4096, max_body: int = 1 << 20
    ) -> None:
        self.app = app
        self.clock = clock
        self.max_entries = max_entries
        self.max_body = max_body
        self.entries: OrderedDict[bytes, Stored] = OrderedDict()
        self.pending: dict[bytes, asyncio.Event] = {}

    def _eligible(self, scope: Scope) -> bool:
        if scope["type"] != "http" or scope["method"] != "GET":
            return False
        path: str = scope["path"]
        if not path.startswith(f"{API_PREFIX}/") or path.startswith(UNCACHED_PREFIXES):
            return False
        if any(name == b"authorization" for name, _ in scope["headers"]):
            return False
        query = scope["query_string"].decode("latin-1")
        return not any(f"{name}=" in query for name in KEY_QUERY_NAMES)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._eligible(scope):
            await self.app(scope, receive, send)
            return
        try:
            version = f"public.{await self.clock.current()}"
        except ClockUnavailableError as exc:
            log.warning("response cache bypassed: %s", exc)
            await self.app(scope, receive, send)
            return
        held = still_current(_header(scope, b"if-none-match"), version)
        if held is not None:
            await _send(send, 304, _encode(cache_headers("public", etag(held))), b"")
            return
        key = scope["path"].encode() + b"?" + scope["query_string"]
        stored = self.entries.get(key)
        if stored is None or stored.version != version:
            # One request computes a missing answer; others asking at the same time wait for it
            # rather than all running the same heavy query at once.
            pending = self.pending.get(key)
            if pending is not None:
                await pending.wait()
                stored = self.entries.get(key)
        if stored is not None and stored.version == version:
            self.entries.move_to_end(key)
            await _send(send, 200, stored.headers, stored.body)
            return
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
        if start is None or start["status"] != 200:  # noqa: PLR2004
            return
        headers = list(start.get("headers", []))
        tag = dict(headers).get(b"etag", b"").decode("latin-1").strip('"')
        body = b"".join(chunks)
        if ".public." not in f".{tag}" or len(body) > self.max_body:
            return
        version = "public." + tag.rsplit(".", 1)[-1]
        self.entries[key] = Stored(version, headers, body)
        self.entries.move_to_end(key)
        while len(self.entries) > self.max_entries:
            self.entries.popitem(last=False)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


def _encode(headers: dict[str, str]) -> list[tuple[bytes, bytes]]:
    return [(k.lower().encode(), v.encode()) for k, v in headers.items()]


async def _send(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    # A copy: outer middleware may add headers to the message, never to the stored answer.
    await send({"type": "http.response.start", "status": status, "headers": list(headers)})
    await send({"type": "http.response.body", "body": body})
