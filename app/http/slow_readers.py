"""A client that stops reading is dropped after VPR_SEND_TIMEOUT_S, so a stalled socket keeps
no task, open file or admission slot for ever (issue 13, finding 1: ~32 unread export downloads
once held every pooled connection).

Outermost: it times each body `send`, which waits while the socket's buffers are full. On time
out the request ends without completing its answer and the server closes the connection.
"""

import asyncio
import logging

from prometheus_client import Counter
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)
DROPPED = Counter(
    "vpr_slow_readers_dropped_total", "Connections closed because the client stopped reading."
)


class ClientTooSlowError(Exception):
    """The client read nothing of the answer for the whole send timeout."""


class SlowReaders:
    def __init__(self, app: ASGIApp, timeout_s: float) -> None:
        self.app = app
        self.timeout_s = timeout_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_in_time(message: Message) -> None:
            if message["type"] != "http.response.body":
                await send(message)
                return
            try:
                await asyncio.wait_for(send(message), self.timeout_s)
            except TimeoutError:
                raise ClientTooSlowError from None

        try:
            await self.app(scope, receive, send_in_time)
        except ClientTooSlowError:
            DROPPED.inc()
            log.warning(
                "client stopped reading for %s s: connection dropped",
                self.timeout_s,
                extra={"path": scope["path"]},
            )
