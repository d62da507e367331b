"""Implementation updates: what a company reports, per principle, for a period.

A submitted update is never edited: an amendment is a new row whose `supersedes_id` points at
the update it replaces, so every revision stays readable. "Superseded" is derived from that link.
"""

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKeyConstraint,
    Index,
    LargeBinary,
    Text,
    UniqueConstraint,
)
from sqlmodel import Field, Relationship, SQLModel

from app.core.types import UTCDateTime, one_of, utcnow, version_column

_update_version = version_column()


class UpdateState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class ImplementationStatus(StrEnum):
    IMPLEMENTED = "implemented"
    IN_PROGRESS = "in_progress"
    PLANNED = "planned"
    NOT_STARTED = "not_started"
    NOT_APPLICABLE = "not_applicable"


class ReportedStatus(StrEnum):
    """A principle's latest status submitted to this registry, or that none was submitted here
    (`not_reported`: not that the company publishes nothing)."""

    IMPLEMENTED = "implemented"
    IN_PROGRESS = "in_progress"
    PLANNED = "planned"
    NOT_STARTED = "not_started"
    NOT_APPLICABLE = "not_applicable"
    NOT_REPORTED = "not_reported"


class Visibility(StrEnum):
    PUBLIC = "public"
    RESTRICTED = "restricted"  # governments and administrators only


class Measure(StrEnum):
    """Controlled vocabulary from the G7 Mito actions and the TRUST framework's sections."""

    POLICY = "policy"
    HASH_MATCHING = "hash_matching"
    CLASSIFIERS = "classifiers"
    USER_REPORTING = "user_reporting"
    HOTLINE_REFERRAL = "hotline_referral"
    LAW_ENFORCEMENT_COOPERATION = "law_enforcement_cooperation"
    AGE_ASSURANCE = "age_assurance"
    CHILD_SAFETY_DEFAULTS = "child_safety_defaults"
    REPEAT_OFFENDER_PREVENTION = "repeat_offender_prevention"
    SEARCH_DETERRENCE = "search_deterrence"
    SUPPORT_SIGNPOSTING = "support_signposting"
    INDUSTRY_COLLABORATION = "industry_collaboration"
    TRANSPARENCY_REPORTING = "transparency_reporting"
    OTHER = "other"


class ImplementationUpdate(SQLModel, table=True):
    __tablename__ = "implementation_update"
    __table_args__ = (
        one_of("state", UpdateState),
        CheckConstraint("period_start <= period_end", name="period_ordered"),
        CheckConstraint(
            "(state = 'draft' AND submitted_at IS NULL)"
            " OR (state = 'submitted' AND submitted_at IS NOT NULL)",
            name="submitted_at_matches_state",
        ),
        CheckConstraint(
            "(supersedes_id IS NULL AND revision = 1)"
            " OR (supersedes_id IS NOT NULL AND revision > 1)",
            name="revision_matches_chain",
        ),
        UniqueConstraint("id", "framework_version_id"),
        # The list's order (newest period first) over what most callers see (submitted ones).
        Index("ix_implementation_update_listing", "state", "period_end", "id"),
        # One company's updates in the listing's order (its page, `?company=`).
        Index(
            "ix_implementation_update_company_listing", "company_id", "state", "period_end", "id"
        ),
    )

    __mapper_args__ = {"version_id_col": _update_version}

    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(default=1, sa_column=_update_version)
    company_id: int = Field(foreign_key="company.id", index=True)
    framework_version_id: int = Field(foreign_key="framework_version.id", index=True)
    reporting_cycle_id: int | None = Field(
        default=None, foreign_key="reporting_cycle.id", index=True
    )
    period_start: date
    period_end: date = Field(index=True)
    summary: str | None = Field(default=None, sa_type=Text)
    state: str = Field(default=UpdateState.DRAFT, max_length=10, index=True)
    revision: int = Field(default=1)
    # One amendment per update keeps each revision chain a line, never a tree.
    supersedes_id: int | None = Field(
        default=None, foreign_key="implementation_update.id", unique=True
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    entries: list["UpdateEntry"] = Relationship(
        sa_relationship_kwargs={"order_by": "UpdateEntry.id", "lazy": "raise"}
    )


class UpdateEntry(SQLModel, table=True):
    """One principle's part of an update; the principle must belong to the update's version."""

    __tablename__ = "update_entry"
    __table_args__ = (
        one_of("status", ImplementationStatus),
        one_of("visibility", Visibility),
        UniqueConstraint("update_id", "principle_id"),
        ForeignKeyConstraint(
            ["update_id", "framework_version_id"],
            ["implementation_update.id", "implementation_update.framework_version_id"],
            name="fk_update_entry_update_same_version",
        ),
        ForeignKeyConstraint(
            ["principle_id", "framework_version_id"],
            ["principle.id", "principle.framework_version_id"],
            name="fk_update_entry_principle_same_version",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    update_id: int = Field(index=True)
    framework_version_id: int
    principle_id: int = Field(index=True)
    status: str = Field(max_length=20)
    narrative: str | None = Field(default=None, sa_type=Text)
    visibility: str = Field(default=Visibility.PUBLIC, max_length=10)

    measures: list["EntryMeasure"] = Relationship(
        sa_relationship_kwargs={"order_by": "EntryMeasure.id", "lazy": "raise"}
    )
    metrics: list["EntryMetric"] = Relationship(
        sa_relationship_kwargs={"order_by": "EntryMetric.id", "lazy": "raise"}
    )
    evidence: list["EntryEvidence"] = Relationship(
        sa_relationship_kwargs={"order_by": "EntryEvidence.id", "lazy": "raise"}
    )


class EntryMeasure(SQLModel, table=True):
    __tablename__ = "entry_measure"
    __table_args__ = (
        one_of("measure", Measure),
        CheckConstraint("measure <> 'other' OR detail IS NOT NULL", name="other_has_detail"),
    )

    id: int | None = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="update_entry.id", index=True)
    measure: str = Field(max_length=40)
    detail: str | None = Field(default=None, max_length=500)


class EntryMetric(SQLModel, table=True):
    """An outcome number: always with its unit and the period it counts."""

    __tablename__ = "entry_metric"
    __table_args__ = (
        CheckConstraint("period_start <= period_end", name="period_ordered"),
        CheckConstraint("value >= 0", name="value_not_negative"),
    )

    id: int | None = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="update_entry.id", index=True)
    name: str = Field(max_length=200)
    value: float
    unit: str = Field(max_length=40)
    period_start: date
    period_end: date


class EntryEvidence(SQLModel, table=True):
    __tablename__ = "entry_evidence"
    __table_args__ = (CheckConstraint("url LIKE 'https://%'", name="url_https"),)

    id: int | None = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="update_entry.id", index=True)
    url: str = Field(max_length=500)
    title: str | None = Field(default=None, max_length=300)


class IdempotencyRecord(SQLModel, table=True):
    """The first response to a company's Idempotency-Key; the unique key makes replays safe."""

    __tablename__ = "idempotency_record"
    __table_args__ = (UniqueConstraint("company_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id")
    key: str = Field(max_length=200)
    request_digest: str = Field(max_length=64)
    response_status: int
    response_body: dict[str, Any] = Field(sa_type=JSON)
    response_headers: dict[str, str] = Field(default_factory=dict, sa_type=JSON)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class LatestStatus(SQLModel):
    """Per company and principle, the status in its latest update: the entries of current
    submitted updates, newest period first (`app/updates/latest.py` defines it)."""

    company_id: int = Field(primary_key=True, foreign_key="company.id")
    principle_id: int = Field(primary_key=True, foreign_key="principle.id")
    framework_version_id: int = Field(foreign_key="framework_version.id")
    status: str = Field(max_length=20)
    update_id: int = Field(foreign_key="implementation_update.id")
    period_start: date
    period_end: date
    submitted_at: datetime = Field(sa_type=UTCDateTime)


class PublishedStatus(LatestStatus, table=True):
    """Read model: the latest status among public entries (what everyone sees). Kept on
    submission."""

    __tablename__ = "published_status"
    __table_args__ = (Index("ix_published_status_principle", "principle_id", "status"),)


class RestrictedStatus(LatestStatus, table=True):
    """Read model: the latest status among every entry, restricted ones included (what
    governments and administrators see). Kept on submission, beside PublishedStatus."""

    __tablename__ = "restricted_status"


class PublishedStatusCount(SQLModel, table=True):
    """Read model: per principle, how many companies' latest published status is each status."""

    __tablename__ = "published_status_count"

    principle_id: int = Field(primary_key=True, foreign_key="principle.id")
    status: str = Field(primary_key=True, max_length=20)
    companies: int = Field(default=0, ge=0)


class UpdateDocument(SQLModel, table=True):
    """Each submitted update as the API serves it to the public, rendered in the transaction
    that changed it (`app/updates/documents.py`), with the list's order beside it: a page of
    the update list is its index and its rows."""

    __tablename__ = "update_document"
    # The list's order (newest period first) over current updates (not superseded) or all.
    __table_args__ = (Index("ix_update_document_listing", "current", "period_end", "update_id"),)

    update_id: int = Field(foreign_key="implementation_update.id", primary_key=True)
    current: bool = Field(description="no submitted amendment has replaced it")
    period_end: date
    public_body: bytes = Field(sa_type=LargeBinary, description="with its public entries")


class UpdateRestrictedDocument(SQLModel, table=True):
    """The same update as governments and administrators see it, rendered with it; apart, so
    that each audience's page of the list reads only its own documents' pages."""

    __tablename__ = "update_restricted_document"

    update_id: int = Field(foreign_key="implementation_update.id", primary_key=True)
    restricted_body: bytes = Field(sa_type=LargeBinary, description="with every entry")
