"""What a request body must be: JSON, no larger than the cap, and sent in time; answered as
problem+json.

The whole body is read here, before the request reaches Admission (which holds one of the few
database slots): a client that sends headers and then stops must not hold a slot while it
waits. Eight such sockets once made every keyed read and every write answer 503 (issue 29).
A body not complete within VPR_REQUEST_BODY_TIMEOUT_S is a 408 and the connection is closed.

FastAPI's own `max_body_size` answers an over-long Content-Length in plain text from outside
every exception handler, so the cap is enforced here instead, inside the app's middleware.
"""

import asyncio
import re

from prometheus_client import Counter
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.errors import problem_response

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
# application/json, or a JSON-based type such as application/merge-patch+json.
_JSON_MEDIA_TYPE = re.compile(rb"^application/([a-z0-9.+-]+\+)?json\s*(;.*)?$", re.IGNORECASE)
STALLED = Counter(
    "vpr_stalled_requests_total",
    "Requests whose headers or body stopped arriving: timed out and their connection closed.",
    ["phase"],
)


def _unsupported_media_type(headers: dict[bytes, bytes]) -> bool:
    """A body that is not declared as JSON (every body this API accepts is JSON)."""
    has_body = headers.get(b"content-length", b"0") != b"0" or b"transfer-encoding" in headers
    return has_body and not _JSON_MEDIA_TYPE.match(headers.get(b"content-type", b""))


class _TooLargeError(Exception):
    pass


class _GoneError(Exception):
    """The client disconnected before its body was complete."""


class BodyGuard:
    def __init__(self, app: ASGIApp, max_bytes: int, timeout_s: float) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.timeout_s = timeout_s

    def _too_large(self) -> str:
        return f"The request body is larger than the {self.max_bytes} bytes accepted."

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        refusal = self._refusal(scope, headers)
        if refusal is not None:
            await problem_response(Request(scope), *refusal)(scope, receive, send)
            return
        if scope["method"] not in BODY_METHODS:
            await self.app(scope, receive, send)
            return
        try:
            async with asyncio.timeout(self.timeout_s):
                body = await self._body(receive)
        except TimeoutError:
            STALLED.labels("body").inc()
            detail = f"The request body did not arrive within {self.timeout_s:g} s."
            stalled = problem_response(Request(scope), 408, detail, headers={"Connection": "close"})
            await stalled(scope, receive, send)
            return
        except _TooLargeError:
            too_large = problem_response(
                Request(scope), 413, self._too_large(), headers={"Connection": "close"}
            )
            await too_large(scope, receive, send)
            return
        except _GoneError:
            return
        await self.app(scope, _replaying(body, receive), send)

    def _refusal(self, scope: Scope, headers: dict[bytes, bytes]) -> tuple[int, str] | None:
        """The status and detail a request is refused with from its headers alone."""
        if scope["method"] in BODY_METHODS and _unsupported_media_type(headers):
            return 415, "Request bodies must be JSON: send Content-Type: application/json."
        declared = headers.get(b"content-length")
        if declared is not None:
            if not declared.isdigit():
                return 400, "Invalid Content-Length."
            if int(declared) > self.max_bytes:
                return 413, self._too_large()
        return None

    async def _body(self, receive: Receive) -> bytes:
        """The whole body, up to the cap."""
        chunks: list[bytes] = []
        received = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise _GoneError
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > self.max_bytes:
                raise _TooLargeError
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)


def _replaying(body: bytes, receive: Receive) -> Receive:
    """A receive that gives the app the body already read, then waits as the server's would."""
    pending = True

    async def replay() -> Message:
        nonlocal pending
        if pending:
            pending = False
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
