"""Conditional GET for the whole API: ETag on every answer, 304 before any work is done.

The data version is the change clock (one single-row read), so it is the same on every instance
over one database and moves with every commit, wherever it was made.
"""

from fastapi import Request, Response

from app.changes import clock
from app.core.concurrency import etag, still_current
from app.core.db import SessionDep
from app.keys.dependencies import Principal, PrincipalDep
from app.keys.models import Role


class NotModifiedError(Exception):
    def __init__(self, headers: dict[str, str]) -> None:
        super().__init__("not modified")
        self.headers = headers


def scope_of(principal: Principal) -> str:
    """Who the representation was made for: callers in one scope see the same bytes."""
    if principal.role in {Role.ADMIN, Role.GOVERNMENT}:
        return "restricted" if principal.role is Role.GOVERNMENT else "admin"
    if principal.role is Role.COMPANY:
        return f"company{principal.company_id}"
    return "public"


def cache_headers(scope: str, tag: str) -> dict[str, str]:
    visibility = "public" if scope == "public" else "private"
    # no-cache: caches may keep it but must revalidate, which is cheap (a 304).
    return {"ETag": tag, "Cache-Control": f"{visibility}, no-cache", "Vary": "Authorization"}


def conditional_get(
    request: Request, response: Response, session: SessionDep, principal: PrincipalDep
) -> None:
    if request.method not in {"GET", "HEAD"}:
        return
    scope = scope_of(principal)
    data_version = f"{scope}.{clock.current(session)}"
    request.state.data_version = data_version
    held = still_current(request.headers.get("if-none-match"), data_version)
    if held is not None:
        # Nothing changed since that tag was made, so it is still this resource's tag.
        raise NotModifiedError(cache_headers(scope, etag(held)))
    response.headers.update(cache_headers(scope, etag(data_version)))


async def not_modified(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, NotModifiedError)  # noqa: S101 - registered for it only
    return Response(status_code=304, headers=exc.headers)
