"""Who is calling: the key in `Authorization: Bearer`, resolved once per request.

The rules for what each caller may do live in `app/access.py`; these are their FastAPI forms.
"""

from collections.abc import Callable, Collection
from typing import Annotated

from fastapi import Depends, Request

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
from app.core.security import bearer_token
from app.keys.models import Role
from app.keys.service import authenticate


def get_principal(request: Request, session: SessionDep) -> Principal:
    header = request.headers.get("authorization")
    if header is None:
        return ANONYMOUS
    token = bearer_token(header)
    if token is None:
        raise UnauthorizedError("Send the key as `Authorization: Bearer <key>`.")
    return Principal.of(authenticate(session, token))


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
