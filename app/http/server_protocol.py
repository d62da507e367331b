"""Uvicorn's HTTP protocol with a deadline on request headers (`vpr serve` runs it).

Uvicorn times out nothing before a request's headers are complete: a socket that connects and
sends nothing, or half a request line, stays open for as long as its client likes, and a few
thousand of them use up the process's file descriptors. Here each request's headers must be
complete within VPR_REQUEST_HEADERS_TIMEOUT_S of the connection opening or of the request's
first byte; otherwise the connection is closed and counted. Bodies have their own deadline in
`app/http/body_guard.py`, where the app can still answer them.
"""

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from app.core.config import get_settings
from app.http.body_guard import STALLED


class HeaderDeadlineProtocol(HttpToolsProtocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.headers_timeout_s = get_settings().request_headers_timeout_s
        self._headers_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        if self._headers_deadline is None and self._between_requests():
            self._arm()  # the first byte of the next request on a kept-alive connection
        super().data_received(data)

    def on_headers_complete(self) -> None:
        self._disarm()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _between_requests(self) -> bool:
        return self.cycle is None or self.cycle.response_complete

    def _arm(self) -> None:
        self._disarm()
        self._headers_deadline = self.loop.call_later(self.headers_timeout_s, self._expired)

    def _disarm(self) -> None:
        if self._headers_deadline is not None:
            self._headers_deadline.cancel()
            self._headers_deadline = None

    def _expired(self) -> None:
        self._headers_deadline = None
        if not self.transport.is_closing():
            STALLED.labels("headers").inc()
            self.transport.close()
