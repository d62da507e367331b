"""HTTP route for the audit trail: read-only, for administrators. No route changes it."""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from app.audit import service
from app.audit.schemas import AuditPage, AuditQuery, AuditRecordRead
from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.core.pagination import cursor_fields
from app.core.urls import API_PREFIX, audit_url
from app.keys.dependencies import AdminDep

router = APIRouter(prefix=API_PREFIX, tags=["audit"], responses=problem_responses(401, 403, 422))


@router.get("/audit", summary="Every write: who, what, when, and digests of before and after")
def list_audit_records(
    response: Response, session: SessionDep, _admin: AdminDep, query: Annotated[AuditQuery, Query()]
) -> AuditPage:
    """Every write, in commit order: who (key), what, when, the request ids, and SHA-256 digests
    of the record before and after. Drafts' records keep digests only. Administrators only."""
    found = service.search(session, query, query.limit + 1)

    def link(cursor: int) -> str:
        following = query.model_dump(by_alias=True, exclude_none=True, mode="json")
        return audit_url(following | {"since": cursor})

    return AuditPage(
        **cursor_fields(
            response, found, query.limit, query.since, AuditRecordRead.model_validate, link
        )
    )
