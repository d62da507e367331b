"""The shape of the seed files, checked strictly so that a typo fails loudly."""

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.companies.models import Sector
from app.companies.schemas import CountryCode
from app.core.dates import parse_stated
from app.core.schemas import HTTPS_URL_PATTERN, HttpsUrl, Slug
from app.core.types import DatePrecision
from app.endorsements.models import EndorsementEventKind


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PrincipleSeed(Strict):
    code: str
    title: str
    summary: str  # the registry's words, labelled as a summary wherever shown
    official_text: str | None = None  # verbatim, as the version's principle_source_url states
    was_summary: str | None = None  # what an earlier seed said, corrected where still held


class ThemeSeed(Strict):
    code: str
    title: str
    principles: list[PrincipleSeed]
    was_title: str | None = None  # what an earlier seed said, corrected where still held


class VersionSeed(Strict):
    code: str
    title: str
    published_on: date
    source_url: str
    principle_source_url: str
    themes: list[ThemeSeed]


class FrameworkSeed(Strict):
    versions: list[VersionSeed]


class MilestoneCorrection(Strict):
    """What an earlier seed said of a milestone that this one corrects, and why: a registry
    whose milestone still says it gets the seed's statement, as an audited change."""

    reason: str = Field(min_length=1)
    occurred_on: date | None = None
    precision: DatePrecision | None = None
    source_url: str | None = None

    @model_validator(mode="after")
    def _identifies(self) -> "MilestoneCorrection":
        if not self.stated():
            raise ValueError("a correction names what it corrects (occurred_on, precision, ...)")
        return self

    def stated(self) -> dict[str, Any]:
        """The milestone's columns and the values this correction says they held."""
        was = {"occurred_on": self.occurred_on, "date_precision": self.precision}
        return {column: value for column, value in (was | {"source_url": self.source_url}).items()
                if value is not None}  # fmt: skip


class MilestoneSeed(Strict):
    slug: str
    occurred_on: date
    precision: DatePrecision
    title: str
    description: str | None = None
    source_url: str | None = Field(default=None, pattern=HTTPS_URL_PATTERN)
    cited_publisher: str | None = None
    cited_title: str | None = None
    cited_date: str | None = None
    corrects: MilestoneCorrection | None = None

    @model_validator(mode="after")
    def _has_source(self) -> "MilestoneSeed":
        if self.source_url is None and self.cited_title is None:
            raise ValueError(f"milestone {self.slug!r} has no source (source_url or cited_title)")
        if self.cited_date is not None:
            parse_stated(self.cited_date)  # the printed form: YYYY-MM-DD, YYYY-MM or YYYY
        return self


class MilestonesSeed(Strict):
    milestones: list[MilestoneSeed]


class EventCorrection(Strict):
    """What an earlier seed recorded for this endorsement that this one corrects (the fields
    given identify it), and why: a registry still counting that event has it retracted with
    this reason and this item recorded in its place, both audited."""

    reason: str = Field(min_length=1)
    source_url: str | None = None
    note: str | None = None
    occurred_on: date | None = None

    @model_validator(mode="after")
    def _identifies(self) -> "EventCorrection":
        if self.source_url is None and self.note is None and self.occurred_on is None:
            raise ValueError("a correction names what it corrects (source_url, note, occurred_on)")
        return self


class EndorsementSeed(Strict):
    kind: EndorsementEventKind
    occurred_on: date
    precision: DatePrecision
    source_url: str = Field(pattern=HTTPS_URL_PATTERN)  # no endorsement without a source
    # A range: its last day, the source of each bound, and how they bound it.
    latest_on: date | None = None
    earliest_source_url: str | None = Field(default=None, pattern=HTTPS_URL_PATTERN)
    latest_source_url: str | None = Field(default=None, pattern=HTTPS_URL_PATTERN)
    date_note: str | None = None
    consulted_in_drafting: bool = False
    milestone: str | None = None
    note: str | None = None
    framework_version: str = "2020"
    corrects: EventCorrection | None = None

    @model_validator(mode="after")
    def _range_bounded(self) -> "EndorsementSeed":
        bounds = (self.latest_on, self.earliest_source_url, self.latest_source_url, self.date_note)
        given = [bound is not None for bound in bounds]
        if self.precision is DatePrecision.RANGE:
            if not all(given):
                raise ValueError("a range has latest_on, both bounds' sources and a date_note")
        elif any(given):
            raise ValueError("latest_on, the bounds' sources and date_note are for a range only")
        return self


class FormerNameSeed(Strict):
    name: str = Field(min_length=1, max_length=200)
    used_until: str | None = None  # as printed: YYYY-MM-DD, YYYY-MM or YYYY
    source_url: str | None = Field(default=None, pattern=HTTPS_URL_PATTERN)

    @model_validator(mode="after")
    def _stated_date(self) -> "FormerNameSeed":
        self.stated_end()  # a date not in printed form fails when the file is read, by name
        return self

    def stated_end(self) -> tuple[date, DatePrecision] | None:
        return parse_stated(self.used_until) if self.used_until else None


class CompanySeed(Strict):
    slug: Slug
    name: str = Field(min_length=1, max_length=200)
    former_names: list[FormerNameSeed] = []
    country: CountryCode | None = None
    country_note: str | None = Field(default=None, max_length=500)
    sectors: list[Sector] = []
    website: HttpsUrl | None = None
    country_source_url: HttpsUrl | None = None  # of the country, or of the note on it
    sectors_source_url: HttpsUrl | None = None
    endorsements: list[EndorsementSeed] = []


class CompaniesSeed(Strict):
    companies: list[CompanySeed]
