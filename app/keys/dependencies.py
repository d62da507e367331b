"""Who is calling: the key in `Authorization: Bearer`, resolved once per request.

The rules for what each caller may do live in `app/access.py`; these are their FastAPI forms.
"""

from collections.abc import Callable, Collection
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session

from app.access import (
    ANONYMOUS,
    ANY_KEY,
    CURATORS,
    CYCLE_OPENERS,
    REPORTERS,
    REVIEWERS,
    THREAD_READERS,
    Principal,
    require_role,
)
from app.core.db import SessionDep
from app.core.errors import UnauthorizedError
from app.core.rows import RowsDep
from app.core.security import bearer_token
from app.keys.authentication import authenticate, authenticate_in
from app.keys.models import Role


def _token(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if header is None:
        return None
    token = bearer_token(header)
    if token is None:
        raise UnauthorizedError("Send the key as `Authorization: Bearer <key>`.")
    return token


async def get_principal(request: Request, rows: RowsDep, session: SessionDep) -> Principal:
    """Async: the key is read on the event loop (`app/core/rows.py`), no worker thread taken."""
    token = _token(request)
    return ANONYMOUS if token is None else await authenticate(rows, session, token)


def principal_in(request: Request, session: Session) -> Principal:
    """The same from sync code (a route that asks only sometimes)."""
    token = _token(request)
    return ANONYMOUS if token is None else authenticate_in(session, token)


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def require_roles(roles: Collection[Role]) -> Callable[[Principal], Principal]:
    """A dependency that lets through only the given roles (deny by default)."""

    def dependency(principal: PrincipalDep) -> Principal:
        return require_role(principal, roles)

    dependency.requires_key = True  # type: ignore[attr-defined]  # read by app/openapi/security.py
    return dependency


AdminDep = Annotated[Principal, Depends(require_roles(CURATORS))]
CompanyDep = Annotated[Principal, Depends(require_roles(REPORTERS))]
GovernmentDep = Annotated[Principal, Depends(require_roles(REVIEWERS))]
GovernmentOrAdminDep = Annotated[Principal, Depends(require_roles(CYCLE_OPENERS))]
ThreadReaderDep = Annotated[Principal, Depends(require_roles(THREAD_READERS))]
AnyKeyDep = Annotated[Principal, Depends(require_roles(ANY_KEY))]
