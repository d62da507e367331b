"""No more requests inside the app than it has pooled database connections.

A request holds its pooled connection from its first query until its session closes, across
the worker-thread hops between its dependencies and its route (each hop a separate thread).
When every worker thread was taken by requests waiting for a connection, the requests holding
the connections could not get a thread to finish, and nothing moved until the pool timed out
(measured: 503s and p99 of seconds under 32 concurrent clients; two clients with a pool of
one). Admitting at most as many requests as there are connections, each needing one thread at a
time, means an admitted request always finds both. The wait to be admitted is on the event
loop, holds nothing, and ends in a 503 with Retry-After after the pool's own timeout.

A route that gave its connection back before answering (a stored export file, however slowly
the client reads it) leaves its slot when its answer starts: a slow reader holds none.
"""

import asyncio

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.errors import problem_response

RETRY_AFTER_S = 1
CONNECTION_RETURNED = "vpr_connection_returned"  # set in the request's state by the route


class Admission:
    def __init__(self, app: ASGIApp, capacity: int, timeout_s: float) -> None:
        self.app = app
        self.timeout_s = timeout_s
        self._slots = asyncio.Semaphore(capacity)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            await asyncio.wait_for(self._slots.acquire(), self.timeout_s)
        except TimeoutError:
            response = problem_response(
                Request(scope),
                503,
                "The registry is answering as many requests as it can; retry shortly.",
                kind="unavailable",
                headers={"Retry-After": str(RETRY_AFTER_S)},
            )
            await response(scope, receive, send)
            return
        held = True

        def leave() -> None:
            nonlocal held
            if held:
                held = False
                self._slots.release()

        async def send_leaving_early(message: Message) -> None:
            if message["type"] == "http.response.start" and scope.get("state", {}).get(
                CONNECTION_RETURNED
            ):
                leave()
            await send(message)

        try:
            await self.app(scope, receive, send_leaving_early)
        finally:
            leave()
