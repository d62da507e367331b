"""The audit trail: every write, by whom, with the state before and after."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index
from sqlmodel import Field, SQLModel

from app.core.types import UTCDateTime, utcnow


class AuditRecord(SQLModel, table=True):
    __tablename__ = "audit_record"
    __table_args__ = (Index("ix_audit_record_resource", "resource_type", "resource_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    actor: str = Field(max_length=40, description="key id of the caller, or 'cli' / 'seed'")
    action: str = Field(max_length=60)
    resource_type: str = Field(max_length=40)
    resource_id: int
    before_digest: str | None = Field(default=None, max_length=64)
    after_digest: str | None = Field(default=None, max_length=64)
    after: dict[str, Any] | None = Field(default=None, sa_type=JSON)
