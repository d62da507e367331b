"""HEAD on every GET (RFC 9110 9.3.2): the app answers the GET, the client gets its head only.

Routed as a GET so that every layer inside (rate limit, cache, conditional GET, the route) treats
it as one; the body is dropped here, its Content-Length kept, so a HEAD says what a GET would get.
"""

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGet:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        ended = False

        async def send_head_only(message: Message) -> None:
            nonlocal ended
            if message["type"] != "http.response.body":
                await send(message)
            elif not message.get("more_body", False) and not ended:
                ended = True
                await send({"type": "http.response.body", "body": b""})

        await self.app({**scope, "method": "GET"}, receive, send_head_only)
