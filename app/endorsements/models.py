"""Endorsement events: the whole history of who endorsed, when, and on whose word.

A company's current status is derived from its latest event. The history is the truth;
`CompanyStatus` keeps what readers need from it (kept in the writing transaction, and rebuilt
from the history by `vpr rebuild`), so that no read derives it again.
"""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Index, Text
from sqlmodel import Field, SQLModel

from app.core.types import DatePrecision, UTCDateTime, one_of, utcnow


class EndorsementEventKind(StrEnum):
    ENDORSED = "endorsed"
    REAFFIRMED = "reaffirmed"
    WITHDRAWN = "withdrawn"
    LAPSED = "lapsed"  # the endorsing entity ceased to exist or to operate the service


class EndorsementStatus(StrEnum):
    ENDORSED = "endorsed"
    WITHDRAWN = "withdrawn"
    LAPSED = "lapsed"
    NOT_ENDORSED = "not_endorsed"


STATUS_AFTER_EVENT: dict[EndorsementEventKind, EndorsementStatus] = {
    EndorsementEventKind.ENDORSED: EndorsementStatus.ENDORSED,
    EndorsementEventKind.REAFFIRMED: EndorsementStatus.ENDORSED,
    EndorsementEventKind.WITHDRAWN: EndorsementStatus.WITHDRAWN,
    EndorsementEventKind.LAPSED: EndorsementStatus.LAPSED,
}


class EndorsementEvent(SQLModel, table=True):
    __tablename__ = "endorsement_event"
    __table_args__ = (
        one_of("kind", EndorsementEventKind),
        one_of("date_precision", DatePrecision),
        CheckConstraint("source_url LIKE 'https://%'", name="source_https"),
        # The latest event per company decides its status: this index serves that lookup.
        Index("ix_endorsement_event_company_latest", "company_id", "occurred_on", "id"),
        CheckConstraint("earliest_on <= latest_on", name="interval_ordered"),
        CheckConstraint(
            "(date_precision = 'range') = (earliest_source_url IS NOT NULL AND "
            "latest_source_url IS NOT NULL AND date_note IS NOT NULL)",
            name="range_bounds_sourced",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id")
    framework_version_id: int = Field(foreign_key="framework_version.id", index=True)
    kind: str = Field(max_length=20, index=True)
    occurred_on: date = Field(
        index=True, description="first day of the stated day, month, year or range"
    )
    date_precision: str = Field(max_length=5)
    # The days the stated date can mean, never before the framework version's publication (an
    # endorsement of the 2020 principles stated as "2020-03" began on 2020-03-05 at the earliest).
    earliest_on: date
    latest_on: date
    source_url: str = Field(max_length=500)
    # A date stated as a range: where each bound comes from, and a note on how they bound it.
    earliest_source_url: str | None = Field(default=None, max_length=500)
    latest_source_url: str | None = Field(default=None, max_length=500)
    date_note: str | None = Field(default=None, sa_type=Text)
    # One of the six companies the governments consulted while they wrote the principles (the
    # governments drafted them; the companies did not).
    consulted_in_drafting: bool = Field(default=False)
    note: str | None = Field(default=None, sa_type=Text)
    milestone_id: int | None = Field(default=None, foreign_key="milestone.id", index=True)
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    recorded_by: str = Field(
        default="seed",
        max_length=40,
        sa_column_kwargs={"server_default": "seed"},
        description="key id of the recorder, 'cli' or 'seed'",
    )


def status_after(latest: EndorsementEvent | None) -> EndorsementStatus:
    if latest is None:
        return EndorsementStatus.NOT_ENDORSED
    return STATUS_AFTER_EVENT[EndorsementEventKind(latest.kind)]


class EndorsementRetraction(SQLModel, table=True):
    """An event recorded by mistake, named and explained; the event stays in the history, marked
    retracted, and no longer counts for status, dates or statistics. Never deleted."""

    __tablename__ = "endorsement_retraction"
    __table_args__ = (CheckConstraint("source_url LIKE 'https://%'", name="source_https"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="endorsement_event.id", unique=True)
    reason: str = Field(sa_type=Text)
    source_url: str | None = Field(default=None, max_length=500)
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    recorded_by: str = Field(max_length=40)


class CompanyStatus(SQLModel, table=True):
    """Per company: its current status and the two events that decide it (the read model)."""

    __tablename__ = "company_status"
    __table_args__ = (
        one_of("status", EndorsementStatus),
        # Every filter and sort of the company list, each ending in the id for keyset order.
        Index("ix_company_status_name", "sort_name", "company_id"),
        Index("ix_company_status_status_name", "status", "sort_name", "company_id"),
        Index("ix_company_status_endorsed_order", "endorsed_order", "company_id"),
        Index("ix_company_status_status_endorsed_order", "status", "endorsed_order", "company_id"),
        Index("ix_company_status_endorsed_on", "endorsed_on"),
        Index("ix_company_status_endorsed_latest", "endorsed_latest"),
    )

    company_id: int = Field(primary_key=True, foreign_key="company.id")
    status: str = Field(max_length=20)
    latest_event_id: int | None = Field(default=None, foreign_key="endorsement_event.id")
    endorsed_event_id: int | None = Field(default=None, foreign_key="endorsement_event.id")
    endorsed_on: date | None = Field(
        default=None, description="earliest day the latest `endorsed` event can mean"
    )
    endorsed_latest: date | None = Field(default=None, description="and the latest day")
    endorsed_order: str | None = Field(
        default=None,
        max_length=240,
        description="how the list sorts by endorsement: earliest day, then precision (day, "
        "month, year), then name",
    )
    sort_name: str = Field(max_length=200, description="the name as the list sorts it")
