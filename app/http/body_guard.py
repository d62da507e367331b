"""What a request body must be: JSON, and no larger than the cap; answered as problem+json.

FastAPI's own `max_body_size` answers an over-long Content-Length in plain text from outside
every exception handler, so the cap is enforced here instead, inside the app's middleware.
"""

import re

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.errors import problem_response

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
# application/json, or a JSON-based type such as application/merge-patch+json.
_JSON_MEDIA_TYPE = re.compile(rb"^application/([a-z0-9.+-]+\+)?json\s*(;.*)?$", re.IGNORECASE)


def _unsupported_media_type(headers: dict[bytes, bytes]) -> bool:
    """A body that is not declared as JSON (every body this API accepts is JSON)."""
    has_body = headers.get(b"content-length", b"0") != b"0" or b"transfer-encoding" in headers
    return has_body and not _JSON_MEDIA_TYPE.match(headers.get(b"content-type", b""))


class BodyGuard:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def _too_large(self) -> str:
        return f"The request body is larger than the {self.max_bytes} bytes accepted."

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        if scope["method"] in BODY_METHODS and _unsupported_media_type(headers):
            detail = "Request bodies must be JSON: send Content-Type: application/json."
            response = problem_response(Request(scope), 415, detail)
            await response(scope, receive, send)
            return
        declared = headers.get(b"content-length")
        if declared is not None:
            if not declared.isdigit():
                response = problem_response(Request(scope), 400, "Invalid Content-Length.")
                await response(scope, receive, send)
                return
            if int(declared) > self.max_bytes:
                response = problem_response(Request(scope), 413, self._too_large())
                await response(scope, receive, send)
                return
        received = 0

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # Raised while the route reads its body: the exception handlers answer it.
                    raise HTTPException(413, self._too_large())
            return message

        await self.app(scope, counted_receive, send)
