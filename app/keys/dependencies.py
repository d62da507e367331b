"""Who is calling: the key in `Authorization: Bearer`, resolved once per request."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from app.core.db import SessionDep
from app.core.errors import DomainError, ForbiddenError, UnauthorizedError
from app.keys.models import ApiKey, Role
from app.keys.service import authenticate

KEY_QUERY_NAMES = ("api_key", "apikey", "key", "token", "access_token")


@dataclass(frozen=True)
class Principal:
    role: Role | None = None  # None: no key, published data only
    key_pk: int | None = None
    key_id: str | None = None
    company_id: int | None = None
    government: str | None = None

    @classmethod
    def of(cls, key: ApiKey) -> "Principal":
        return cls(Role(key.role), key.id, key.key_id, key.company_id, key.government)

    @property
    def sees_restricted(self) -> bool:
        return self.role in {Role.ADMIN, Role.GOVERNMENT}

    @property
    def actor(self) -> str:
        return self.key_id or "anonymous"


ANONYMOUS = Principal()


def reject_keys_in_query(request: Request) -> None:
    """Keys in URLs end up in logs and histories: refuse them outright."""
    if any(name in request.query_params for name in KEY_QUERY_NAMES):
        raise DomainError("API keys are accepted only in the Authorization header.")


def get_principal(request: Request, session: SessionDep) -> Principal:
    header = request.headers.get("authorization")
    if header is None:
        return ANONYMOUS
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise UnauthorizedError("Send the key as `Authorization: Bearer <key>`.")
    return Principal.of(authenticate(session, token.strip()))


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def require_roles(*roles: Role) -> Callable[[Principal], Principal]:
    """A dependency that lets through only the given roles (deny by default)."""

    def dependency(principal: PrincipalDep) -> Principal:
        if principal.role is None:
            raise UnauthorizedError(
                "This needs an API key.", headers=UnauthorizedError.MISSING_KEY_HEADERS
            )
        if principal.role not in roles:
            raise ForbiddenError(f"A {principal.role} key may not do this.")
        return principal

    dependency.allowed_roles = frozenset(roles)  # type: ignore[attr-defined]  # read by tests
    return dependency


AdminDep = Annotated[Principal, Depends(require_roles(Role.ADMIN))]
CompanyDep = Annotated[Principal, Depends(require_roles(Role.COMPANY))]
GovernmentDep = Annotated[Principal, Depends(require_roles(Role.GOVERNMENT))]
GovernmentOrAdminDep = Annotated[Principal, Depends(require_roles(Role.GOVERNMENT, Role.ADMIN))]
