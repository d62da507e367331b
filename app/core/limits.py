"""Request body cap, answered as problem+json.

FastAPI's own `max_body_size` answers an over-long Content-Length in plain text from outside
every exception handler, so the cap is enforced here instead, inside the app's middleware.
"""

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.errors import problem_response


class BodySizeLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def _too_large(self) -> str:
        return f"The request body is larger than the {self.max_bytes} bytes accepted."

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
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
