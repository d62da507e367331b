"""API models for the audit trail (administrators only)."""

from datetime import datetime
from typing import Any

from pydantic import Field

from app.core.pagination import MAX_RECORDS_PAGE, CursorPage
from app.core.schemas import InputModel, IsoDateTime, PublicModel

MAX_AUDIT_PAGE = MAX_RECORDS_PAGE


class AuditRecordRead(PublicModel):
    seq: int = Field(description="Position in commit order.")
    at: datetime
    actor: str = Field(description="Key id of the caller (never the key), or cli / seed.")
    request_id: str | None = Field(description="The X-Request-ID of the request that wrote.")
    server_request_id: str | None = Field(
        description="The server's own id of that request: unique, whatever the client sent."
    )
    action: str
    resource_type: str
    resource_id: int
    url: str
    audience: str = Field(description="Who may see the change in the change feed.")
    owner_company_id: int | None
    before_digest: str | None = Field(description="SHA-256 of the resource before the write.")
    after_digest: str | None = Field(description="SHA-256 of the resource after the write.")
    after: dict[str, Any] | None


class AuditPage(CursorPage[AuditRecordRead]):
    """Audit records in commit order."""


class AuditQuery(InputModel):
    """Every given field must match; `since` and `limit` page through the answers."""

    actor: str | None = Field(default=None, max_length=40, description="A key id, e.g. k3x9a0b1.")
    action: str | None = Field(default=None, max_length=60, description="e.g. update.submitted")
    resource_type: str | None = Field(
        default=None, max_length=40, description="e.g. company, endorsement, update, key."
    )
    resource_id: int | None = Field(default=None, ge=1, le=2**31 - 1, description="Its id.")
    request_id: str | None = Field(
        default=None, max_length=128, description="The X-Request-ID of the writing request."
    )
    at_from: IsoDateTime | None = Field(
        default=None, alias="from", description="Written at or after (ISO 8601 with offset)."
    )
    until: IsoDateTime | None = Field(default=None, description="Written before.")
    since: int = Field(default=0, ge=0, le=2**53 - 1, description="The cursor of the last page.")
    limit: int = Field(
        default=100,
        ge=1,
        le=MAX_AUDIT_PAGE,
        description=f"At most this many, 1 to {MAX_AUDIT_PAGE}.",
    )
