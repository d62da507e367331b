"""API models for endorsement events and a company's derived endorsement status."""

from datetime import date, datetime
from typing import TYPE_CHECKING

from pydantic import ConfigDict, Field, PrivateAttr, StrictBool, model_validator

from app.core.dates import parse_stated, parse_stated_range
from app.core.schemas import HttpsUrl, InputModel, PartialDate, PublicModel, Slug
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

CONSULTED = (
    "One of the six companies the five governments consulted while drafting the principles "
    "(the governments wrote them)."
)


class RetractionRead(PublicModel):
    reason: str
    source_url: str | None
    recorded_at: datetime = Field(description="When the registry recorded the retraction (UTC).")


def event_date(event: EndorsementEvent) -> PartialDate:
    """The event's date as stated, with the days it can mean (clipped to the publication)."""
    interval = (event.earliest_on, event.latest_on)
    return PartialDate.of(event.occurred_on, event.date_precision, interval)


class DateBoundsRead(PublicModel):
    """Where each bound of a date stated as a range comes from."""

    earliest_source_url: str = Field(description="What shows it happened no earlier.")
    latest_source_url: str = Field(description="What shows it had happened by the last day.")
    note: str = Field(description="How the sources bound the date.")


class EndorsementEventRead(PublicModel):
    id: int
    company: str = Field(description="Slug of the company.")
    company_url: str
    kind: EndorsementEventKind
    occurred_on: PartialDate
    framework_version: str
    source_url: str = Field(description="Where this event is stated publicly.")
    consulted_in_drafting: bool = Field(description=CONSULTED)
    note: str | None
    milestone: str | None = Field(description="Slug of the milestone this event belongs to.")
    recorded_at: datetime = Field(description="When the registry recorded this event (UTC).")
    retracted: RetractionRead | None = Field(
        description="Set when the event was recorded by mistake: it stays in the history but "
        "no longer counts for status, dates or statistics."
    )
    # Only a range has it, and only then is it written: the documents of events logged before
    # ranges existed keep their exact bytes (and their logged digests).
    date_bounds: DateBoundsRead | None = Field(
        default=None,
        exclude_if=lambda bounds: bounds is None,
        description="For a date stated as a range: the source of each bound, and a note.",
    )

    @classmethod
    def of(cls, row: "EventRow") -> "EndorsementEventRead":
        event, retraction = row.event, row.retraction
        return cls(
            id=event.id or 0,
            company=row.company_slug,
            company_url=company_url(row.company_slug),
            kind=EndorsementEventKind(event.kind),
            occurred_on=event_date(event),
            framework_version=row.framework_version,
            source_url=event.source_url,
            consulted_in_drafting=event.consulted_in_drafting,
            note=event.note,
            milestone=row.milestone_slug,
            recorded_at=event.recorded_at,
            retracted=RetractionRead.model_validate(retraction) if retraction else None,
            date_bounds=_bounds(event),
        )


def _bounds(event: EndorsementEvent) -> DateBoundsRead | None:
    if event.earliest_source_url is None or event.latest_source_url is None:
        return None
    return DateBoundsRead(
        earliest_source_url=event.earliest_source_url,
        latest_source_url=event.latest_source_url,
        note=event.date_note or "",
    )


class EndorsementSummaryRead(PublicModel):
    """A company's current status, derived from its latest endorsement event."""

    status: EndorsementStatus
    endorsed_on: PartialDate | None = Field(
        description="Date of the latest `endorsed` event, also when later withdrawn."
    )
    source_url: str | None = Field(description="Source of that endorsement.")
    consulted_in_drafting: bool = Field(description=CONSULTED)
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
            endorsed_on=event_date(endorsed) if endorsed else None,
            source_url=endorsed.source_url if endorsed else None,
            consulted_in_drafting=bool(endorsed and endorsed.consulted_in_drafting),
            status_since=event_date(since) if since else None,
            status_source_url=since.source_url if since else None,
        )


class EndorsementEventCreate(InputModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "endorsed",
                    "occurred_on": "2025-05",
                    "source_url": "https://example.org/announcement",
                }
            ]
        }
    )

    kind: EndorsementEventKind
    occurred_on: str = Field(
        description="The date as the source states it, in the form the API prints: "
        "`2025-05-14` (a day), `2025-05` (a month), `2025` (a year), or a range between two "
        "days, `2020-03-05/2021-03-31`, when sources bound it from each side.",
        max_length=21,
        examples=["2020-03-05", "2020-03", "2020", "2020-03-05/2021-03-31"],
    )
    precision: DatePrecision | None = Field(
        default=None, description="Optional: when given, it must be what `occurred_on` states."
    )
    _day: date = PrivateAttr(default=date.min)
    _last: date | None = PrivateAttr(default=None)
    source_url: HttpsUrl = Field(description="Where the event is stated publicly (https).")
    earliest_source_url: HttpsUrl | None = Field(
        default=None, description="A range only: what shows it happened no earlier."
    )
    latest_source_url: HttpsUrl | None = Field(
        default=None, description="A range only: what shows it had happened by its last day."
    )
    date_note: str | None = Field(
        default=None, min_length=1, max_length=2000, description="A range only: how the "
        "sources bound the date.",
    )  # fmt: skip
    consulted_in_drafting: StrictBool = Field(default=False, description=CONSULTED)
    note: str | None = Field(default=None, max_length=2000)
    milestone: Slug | None = None
    framework_version: str | None = Field(
        default=None, max_length=20, description="Default: the current version."
    )

    @model_validator(mode="after")
    def _stated_date(self) -> "EndorsementEventCreate":
        bounds = (self.earliest_source_url, self.latest_source_url, self.date_note)
        if "/" in self.occurred_on:  # ValueError -> 422 in words
            (day, self._last), stated = parse_stated_range(self.occurred_on), DatePrecision.RANGE
            if None in bounds:
                raise ValueError(
                    "a range names the source of each bound (earliest_source_url, "
                    "latest_source_url) and says how they bound it (date_note)"
                )
        else:
            day, stated = parse_stated(self.occurred_on)
            if any(bound is not None for bound in bounds):
                raise ValueError(
                    "earliest_source_url, latest_source_url and date_note are for a range only"
                )
        if self.precision is not None and self.precision is not stated:
            raise ValueError(
                f"occurred_on {self.occurred_on!r} states a {stated.value}, "
                f"but precision says {self.precision.value}"
            )
        self._day, self.precision = day, stated
        return self

    def stated(self) -> tuple[date, DatePrecision, date | None]:
        """The first day the stated date means, its precision, and a range's last day."""
        return self._day, DatePrecision(self.precision or DatePrecision.DAY), self._last


class RetractionCreate(InputModel):
    reason: str = Field(
        min_length=10, max_length=2000, description="Why the event was recorded by mistake."
    )
    source_url: HttpsUrl | None = Field(
        default=None, description="Where the correction is stated publicly, if anywhere."
    )
