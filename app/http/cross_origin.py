"""CORS: published data is readable from any web page; keys and writes only from the origins a
deployment names (VPR_CORS_ORIGINS).

An anonymous GET or HEAD gets `Access-Control-Allow-Origin: *` whatever the origin (the same
answer for everyone, so the response cache's bytes stay shared). A request with a key, or a
write, is allowed only from a configured origin, echoed with `Vary: Origin`. Preflights are
answered here, before the rate limit and the app; one for something not allowed gets a 403.
Written here rather than with Starlette's CORSMiddleware, which applies one origin list to every
request and cannot tell an anonymous read from a keyed one.
"""

from collections.abc import Iterable

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.errors import problem_response
from app.core.urls import API_PREFIX

READS = frozenset({"GET", "HEAD"})
READ_HEADERS = frozenset({"accept", "accept-language", "if-none-match", "x-request-id"})
KEYED_HEADERS = READ_HEADERS | {"authorization", "content-type", "if-match", "idempotency-key"}
EXPOSED = "ETag, Link, Location, RateLimit, RateLimit-Policy, Retry-After, X-Request-ID"
MAX_AGE_S = "600"


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


class CrossOrigin:
    def __init__(self, app: ASGIApp, origins: Iterable[str] = ()) -> None:
        self.app = app
        self.origins = frozenset(origin.rstrip("/") for origin in origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(API_PREFIX):
            await self.app(scope, receive, send)
            return
        origin = _header(scope, b"origin")
        if origin is None:
            await self.app(scope, receive, send)
            return
        requested = _header(scope, b"access-control-request-method")
        if scope["method"] == "OPTIONS" and requested is not None:
            await self._preflight(scope, receive, send, origin, requested.upper())
            return
        anonymous_read = scope["method"] in READS and _header(scope, b"authorization") is None
        allowed = self._allowed(origin, anonymous_read)

        async def send_with_grant(message: Message) -> None:
            if message["type"] == "http.response.start" and allowed:
                message["headers"] = [*message.get("headers", []), *allowed]
            await send(message)

        await self.app(scope, receive, send_with_grant)

    def _allowed(self, origin: str, anonymous_read: bool) -> list[tuple[bytes, bytes]]:
        exposed = (b"access-control-expose-headers", EXPOSED.encode())
        if anonymous_read:
            return [(b"access-control-allow-origin", b"*"), exposed]
        if origin in self.origins:
            grant = (b"access-control-allow-origin", origin.encode("latin-1"))
            return [grant, (b"vary", b"Origin"), exposed]
        return []

    async def _preflight(
        self, scope: Scope, receive: Receive, send: Send, origin: str, method: str
    ) -> None:
        asked = _header(scope, b"access-control-request-headers") or ""
        headers = {name.strip().lower() for name in asked.split(",") if name.strip()}
        if method in READS and headers <= READ_HEADERS:
            granted = {
                "Access-Control-Allow-Origin": "*",
                "Access-Control-Allow-Methods": "GET, HEAD",
            }
            allow_headers = READ_HEADERS
        elif origin in self.origins and headers <= KEYED_HEADERS:
            granted = {
                "Access-Control-Allow-Origin": origin,
                "Access-Control-Allow-Methods": "GET, HEAD, POST, PATCH",
                "Vary": "Origin",
            }
            allow_headers = KEYED_HEADERS
        else:
            detail = (
                f"Origin {origin} may read published data without a key; requests with a key "
                "or writes are allowed only from the origins this registry names."
            )
            await problem_response(Request(scope), 403, detail, kind="cors-refused")(
                scope, receive, send
            )
            return
        granted |= {
            "Access-Control-Allow-Headers": ", ".join(sorted(allow_headers)),
            "Access-Control-Max-Age": MAX_AGE_S,
        }
        await _no_content(send, granted)


async def _no_content(send: Send, headers: dict[str, str]) -> None:
    raw = [(name.lower().encode(), value.encode("latin-1")) for name, value in headers.items()]
    await send({"type": "http.response.start", "status": 204, "headers": raw})
    await send({"type": "http.response.body", "body": b""})
