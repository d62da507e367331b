"""API keys: who is calling, in which role, for which company or government."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from app.core.types import UTCDateTime, one_of, utcnow


class Role(StrEnum):
    ADMIN = "admin"
    GOVERNMENT = "government"
    NGO = "ngo"
    COMPANY = "company"


class ApiKey(SQLModel, table=True):
    __tablename__ = "api_key"
    __table_args__ = (
        one_of("role", Role),
        CheckConstraint(
            "(role = 'company') = (company_id IS NOT NULL)", name="company_key_has_company"
        ),
        CheckConstraint(
            "role <> 'government' OR government IS NOT NULL", name="government_key_has_body"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    key_id: str = Field(max_length=8, unique=True)
    secret_hash: str = Field(max_length=64)
    name: str = Field(max_length=200)
    role: str = Field(max_length=20)
    company_id: int | None = Field(default=None, foreign_key="company.id", index=True)
    government: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by: str = Field(max_length=40, description="key id of the creator, or 'cli'")
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    replaced_by_id: int | None = Field(default=None, foreign_key="api_key.id")
