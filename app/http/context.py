"""The outermost middleware: each request gets an id (echoed in X-Request-ID), one access log
line and its Prometheus counts, whoever answers it."""

import logging
import os
import re
import time
from collections.abc import Sequence
from functools import lru_cache

from fastapi.routing import iter_route_contexts
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.logs import REQUEST_ID_HEADER, set_request_id

# A caller's id is kept only if it is short and plain; anything else could forge log lines.
_ACCEPTABLE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

REQUESTS = Counter(
    "vpr_http_requests_total", "HTTP requests answered.", ["method", "route", "status"]
)
LATENCY = Histogram(
    "vpr_http_request_duration_seconds",
    "Time to answer an HTTP request.",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
access_log = logging.getLogger("vpr.access")
# The route template an answer made before routing names (`app/http/stored_documents.py`): its
# URLs are mostly new ones (a slug, an offset), and matching each against every route took a
# fifth of a company page's time.
ROUTE_STATE = "vpr_route"
# Browsers must take every answer as the type it declares (a JSON body is never run as script).
NOSNIFF = (b"x-content-type-options", b"nosniff")


def _request_id_of(scope: Scope, server_id: str) -> str:
    offered = dict(scope["headers"]).get(REQUEST_ID_HEADER.lower().encode(), b"").decode("latin-1")
    return offered if _ACCEPTABLE_ID.match(offered) else server_id


class RouteNames:
    """The route template of a path, so that metrics have one series per route, not per URL,
    also for answers that never reach the router (cached, 304, 429, 413)."""

    def __init__(self, routes: Sequence[BaseRoute]) -> None:
        self.routes = routes  # the app's own list: routers included later are seen too
        self.template_of = lru_cache(maxsize=4096)(self._match)

    def _match(self, path: str) -> str:
        probe = {"type": "http", "path": path, "method": "GET", "root_path": ""}
        for context in iter_route_contexts(self.routes):
            if context.route.matches(probe)[0] != Match.NONE:
                return str(getattr(context.route, "path", "unmatched"))
        return "unmatched"

    def __call__(self, scope: Scope) -> str:
        return route_named(scope) or self.template_of(scope["path"])


def route_named(scope: Scope) -> str | None:
    """The route template the answer named: the router's route, or what the layer before
    routing or the response cache set (None: neither answered)."""
    named = getattr(scope.get("route"), "path", None) or scope.get("state", {}).get(ROUTE_STATE)
    return str(named) if named else None


class RequestContext:
    def __init__(self, app: ASGIApp, routes: Sequence[BaseRoute] = ()) -> None:
        self.app = app
        self.route_of = RouteNames(routes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        server_id = os.urandom(16).hex()  # 32 random hex digits, as uuid4().hex, a quarter the cost
        request_id = _request_id_of(scope, server_id)
        set_request_id(request_id, server_id)
        started = time.perf_counter()
        status = 500  # what the server sends if the app fails before answering

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                # A new list: the one in the message may belong to someone else (a cache).
                own = (REQUEST_ID_HEADER.lower().encode(), request_id.encode())
                message["headers"] = [*message.get("headers", []), own, NOSNIFF]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = self.route_of(scope)
            REQUESTS.labels(scope["method"], route, str(status)).inc()
            LATENCY.labels(scope["method"], route).observe(elapsed)
            access_log.info(
                "request",
                extra={
                    "method": scope["method"],
                    "path": scope["path"],
                    "route": route,
                    "status": status,
                    "duration_ms": round(elapsed * 1000, 2),
                    "client": (scope.get("client") or ("-",))[0],
                },
            )


def metrics(_request: Request) -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
