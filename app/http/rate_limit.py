"""ASGI middleware: count the request, add the IETF RateLimit headers, answer 429 past the quota."""

from http import HTTPStatus

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.errors import problem_response
from app.ratelimit.limiter import RateLimiter, authorization

UNLIMITED_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})  # for orchestrators


class RateLimit:
    def __init__(self, app: ASGIApp, limiter: RateLimiter) -> None:
        self.app = app
        self.limiter = limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in UNLIMITED_PATHS:
            await self.app(scope, receive, send)
            return
        refused = self.limiter.refused_authentication(scope)
        decision = refused or await self.limiter.check(scope)
        headers = decision.headers()
        if decision.exceeded:
            detail = (
                f"More than {decision.policy.quota} {decision.policy.name} in "
                f"{decision.policy.window_s} s; retry after {decision.reset_s} s."
            )
            response = problem_response(
                Request(scope), 429, detail, headers={"Retry-After": str(decision.reset_s)}
            )
            response.raw_headers.extend(headers)
            await response(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":  # a new list, as in RequestContext
                message["headers"] = [*message.get("headers", []), *headers]
                # Only a key that was presented and failed: a request with no key (a dashboard
                # missing its key, a link opened in a browser) must not lock out an office.
                if message["status"] == HTTPStatus.UNAUTHORIZED and authorization(scope):
                    await self.limiter.authentication_failed(scope)
            await send(message)

        await self.app(scope, receive, send_with_headers)
