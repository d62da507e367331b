"""HTTP routes for API keys: administrators manage them; any key can see itself."""

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response, status

from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.core.pagination import OffsetPage, listed_page
from app.core.urls import API_PREFIX
from app.keys import service
from app.keys.dependencies import AdminDep, AnyKeyDep
from app.keys.schemas import KeyCreate, KeyIssuedRead, KeyPage, KeyRead

router = APIRouter(prefix=API_PREFIX, tags=["keys"], responses=problem_responses(401, 403, 422))

KeyId = Annotated[
    str,
    Path(
        title="Key id",
        description="The public id of a key: the 8 characters after `vpr_`.",
        min_length=8,
        max_length=8,
        pattern=r"^[a-z0-9]{8}$",
    ),
]


@router.post(
    "/keys",
    status_code=status.HTTP_201_CREATED,
    summary="Create a key (the plaintext is in this response only)",
)
def create_key(body: KeyCreate, session: SessionDep, admin: AdminDep) -> KeyIssuedRead:
    """Issues a key for a role (company keys name their company, government keys their
    government). The plaintext is in this answer only; the registry keeps a keyed hash."""
    spec = service.KeySpec(
        role=body.role,
        name=body.name,
        company=body.company,
        government=body.government,
        expires_at=body.expires_at,
    )
    return KeyIssuedRead.of(service.issue_key(session, spec, created_by=admin.actor))


@router.get("/keys", summary="Every key, without secrets")
def list_keys(
    request: Request, response: Response, session: SessionDep, _admin: AdminDep, page: OffsetPage
) -> KeyPage:
    """Every key with its role, owner, dates and last use, never a secret. Administrators only.
    Paginated."""
    found = [KeyRead.of(row) for row in service.list_keys(session)]
    return KeyPage(**listed_page(request, response, page, found))


@router.post(
    "/keys/{key_id}/revoke", summary="Revoke a key at once", responses=problem_responses(404)
)
def revoke_key(key_id: KeyId, session: SessionDep, admin: AdminDep) -> KeyRead:
    """Revokes a key at once: its next request is a 401."""
    return KeyRead.of(service.revoke_key(session, key_id, admin.actor))


@router.post(
    "/keys/{key_id}/rotate",
    status_code=status.HTTP_201_CREATED,
    summary="Replace a key with a new one of the same role and owner; the old one is revoked",
    responses=problem_responses(404, 409),
)
def rotate_key(key_id: KeyId, session: SessionDep, admin: AdminDep) -> KeyIssuedRead:
    """Issues a new key with the same role and owner and revokes the old one, in one step. The new
    plaintext is in this answer only."""
    return KeyIssuedRead.of(service.rotate_key(session, key_id, created_by=admin.actor))


@router.get("/whoami", summary="The key making this request", tags=["keys"])
def whoami(session: SessionDep, principal: AnyKeyDep) -> KeyRead:
    """The key making this request: its id, role, owner and expiry. A quick way to check a key
    works."""
    return KeyRead.of(service.key_row(session, principal.key_id or ""))
