"""API models for endorsement events and a company's derived endorsement status."""

from datetime import datetime
from typing import TYPE_CHECKING

from pydantic import Field, StrictBool

from app.core.schemas import HttpsUrl, InputModel, IsoDate, PartialDate, PublicModel, Slug
from app.core.types import DatePrecision
from app.core.urls import company_url
from app.endorsements.models import (
    EndorsementEvent,
    EndorsementEventKind,
    EndorsementStatus,
    status_after,
)

if TYPE_CHECKING:
    from app.endorsements.queries import EventRow

ENDORSEMENT_NOTICE = (
    "Endorsement is a public commitment to the Voluntary Principles. It is not verification that "
    "they are implemented: see the company's implementation updates for what it reports."
)


class EndorsementEventRead(PublicModel):
    id: int
    company: str = Field(description="Slug of the company.")
    company_url: str
    kind: EndorsementEventKind
    occurred_on: PartialDate
    framework_version: str
    source_url: str = Field(description="Where this event is stated publicly.")
    drafter: bool = Field(description="Whether the company was one of the six drafters.")
    note: str | None
    milestone: str | None = Field(description="Slug of the milestone this event belongs to.")
    recorded_at: datetime = Field(description="When the registry recorded this event (UTC).")

    @classmethod
    def of(cls, row: "EventRow") -> "EndorsementEventRead":
        event = row.event
        return cls(
            id=event.id or 0,
            company=row.company_slug,
            company_url=company_url(row.company_slug),
            kind=EndorsementEventKind(event.kind),
            occurred_on=PartialDate.of(event.occurred_on, event.date_precision),
            framework_version=row.framework_version,
            source_url=event.source_url,
            drafter=event.drafter,
            note=event.note,
            milestone=row.milestone_slug,
            recorded_at=event.recorded_at,
        )


class EndorsementSummaryRead(PublicModel):
    """A company's current status, derived from its latest endorsement event."""

    status: EndorsementStatus
    endorsed_on: PartialDate | None = Field(
        description="Date of the latest `endorsed` event, also when later withdrawn."
    )
    source_url: str | None = Field(description="Source of that endorsement.")
    drafter: bool = Field(description="One of the six companies that drafted the principles.")
    status_since: PartialDate | None = Field(
        description="When the current status began: the endorsement, or a later withdrawal."
    )
    status_source_url: str | None = Field(description="Source of the event behind the status.")

    @classmethod
    def of(
        cls, latest: EndorsementEvent | None, endorsed: EndorsementEvent | None
    ) -> "EndorsementSummaryRead":
        status = status_after(latest)
        # Reaffirming keeps the original endorsement date; withdrawing starts a new status.
        since = endorsed if status is EndorsementStatus.ENDORSED else latest
        return cls(
            status=status,
            endorsed_on=PartialDate.of(endorsed.occurred_on, endorsed.date_precision)
            if endorsed
            else None,
            source_url=endorsed.source_url if endorsed else None,
            drafter=bool(endorsed and endorsed.drafter),
            status_since=PartialDate.of(since.occurred_on, since.date_precision) if since else None,
            status_source_url=since.source_url if since else None,
        )


class EndorsementEventCreate(InputModel):
    kind: EndorsementEventKind
    occurred_on: IsoDate = Field(
        description="The date as the source states it; with month or year precision, any day "
        "in that month or year (it is stored as the first day)."
    )
    precision: DatePrecision
    source_url: HttpsUrl = Field(description="Where the event is stated publicly (https).")
    drafter: StrictBool = False
    note: str | None = Field(default=None, max_length=2000)
    milestone: Slug | None = None
    framework_version: str | None = Field(
        default=None, max_length=20, description="Default: the current version."
    )
