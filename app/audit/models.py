"""The audit trail, which is also the change feed: every write, by whom, in commit order."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index
from sqlmodel import Field, SQLModel

from app.core.types import UTCDateTime, one_of, utcnow


class Audience(StrEnum):
    """Who may learn that the change happened (the change feed filters on it)."""

    PUBLIC = "public"
    OWNER = "owner"  # the owning company only (drafts)
    RESTRICTED = "restricted"  # governments, administrators and the owning company (reviews)
    ADMIN = "admin"  # administrators only (keys)


class AuditRecord(SQLModel, table=True):
    __tablename__ = "audit_record"
    __table_args__ = (
        Index("ix_audit_record_resource", "resource_type", "resource_id", "id"),
        one_of("audience", Audience),
    )

    id: int | None = Field(default=None, primary_key=True)
    seq: int = Field(sa_column=Column("seq", BigInteger, nullable=False, unique=True))
    # A public change's number among public changes alone (the public feed's and the log's),
    # so that no gap counts a private one; null for the rest.
    public_seq: int | None = Field(
        default=None,
        sa_column=Column("public_seq", BigInteger, nullable=True, index=True, unique=True),
    )
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    actor: str = Field(
        max_length=40, index=True, description="key id of the caller, or 'cli' / 'seed'"
    )
    request_id: str | None = Field(default=None, max_length=128, description="X-Request-ID")
    # The server's own id for the request: the client's X-Request-ID is its choice, and two
    # clients (or a replay) may send the same one.
    server_request_id: str | None = Field(default=None, max_length=32, index=True)
    action: str = Field(max_length=60)
    resource_type: str = Field(max_length=40)
    resource_id: int
    url: str = Field(max_length=300)
    audience: str = Field(max_length=20)
    owner_company_id: int | None = Field(default=None, foreign_key="company.id")
    before_digest: str | None = Field(default=None, max_length=64)
    after_digest: str | None = Field(default=None, max_length=64)
    after: dict[str, Any] | None = Field(default=None, sa_type=JSON)
