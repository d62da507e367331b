"""API models for implementation updates: what a company sends, and what each reader sees."""

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Self

from pydantic import BeforeValidator, ConfigDict, Field, field_validator, model_validator

from app.core.pagination import Page
from app.core.schemas import HttpsUrl, InputModel, JsonInt, JsonNumber, PublicModel, ReportingDate
from app.core.urls import update_url
from app.updates.models import ImplementationStatus, Measure, UpdateState, Visibility

if TYPE_CHECKING:
    from app.updates.entries import EntryShown
    from app.updates.queries import UpdateView

NARRATIVE_MAX = 10_000
SUMMARY_MAX = 5_000
ENTRIES_MAX = 50
BATCH_MAX = 100
PrincipleCodeField = Field(min_length=1, max_length=10, pattern=r"^[A-Za-z0-9-]+$")


def _ordered(start: date | None, end: date | None) -> None:
    if start is not None and end is not None and start > end:
        raise ValueError("period_start must not be after period_end")


class MeasureInput(InputModel):
    measure: Measure
    detail: str | None = Field(
        default=None, min_length=1, max_length=500, description="Free text; required for other."
    )

    @model_validator(mode="after")
    def _other_needs_detail(self) -> Self:
        if self.measure is Measure.OTHER and not self.detail:
            raise ValueError("a measure of 'other' needs a detail")
        return self


class MetricInput(InputModel):
    name: str = Field(min_length=1, max_length=200, description="e.g. reports to NCMEC")
    value: JsonNumber = Field(ge=0, le=1e15, allow_inf_nan=False)
    unit: str = Field(min_length=1, max_length=40, description="e.g. count, percent, hours")
    period_start: ReportingDate
    period_end: ReportingDate

    @model_validator(mode="after")
    def _period(self) -> Self:
        _ordered(self.period_start, self.period_end)
        return self


class EvidenceInput(InputModel):
    url: HttpsUrl
    title: str | None = Field(default=None, min_length=1, max_length=300)


class EntryInput(InputModel):
    principle: str = PrincipleCodeField
    status: ImplementationStatus
    narrative: str | None = Field(default=None, max_length=NARRATIVE_MAX)
    measures: list[MeasureInput] = Field(default_factory=list, max_length=20)
    metrics: list[MetricInput] = Field(default_factory=list, max_length=50)
    evidence: list[EvidenceInput] = Field(default_factory=list, max_length=20)
    visibility: Visibility = Field(
        default=Visibility.PUBLIC, description="restricted: governments and administrators only."
    )

    @classmethod
    def of(cls, entry: "EntryShown", principle: str) -> "EntryInput":
        """A stored entry in the shape a company sends it (to copy it into an amendment)."""
        return cls.model_validate(
            {
                "principle": principle,
                "status": entry.status,
                "narrative": entry.narrative,
                "visibility": entry.visibility,
                "measures": [
                    MeasureInput.model_validate(m, from_attributes=True) for m in entry.measures
                ],
                "metrics": [
                    MetricInput.model_validate(m, from_attributes=True) for m in entry.metrics
                ],
                "evidence": [
                    EvidenceInput.model_validate(e, from_attributes=True) for e in entry.evidence
                ],
            }
        )


class UpdateChange(InputModel):
    """Fields to change in a draft; those left out stay. `entries` replaces all entries."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"summary": "Revised after review."}]}
    )

    period_start: ReportingDate | None = None
    period_end: ReportingDate | None = None
    summary: str | None = Field(default=None, max_length=SUMMARY_MAX)
    reporting_cycle: JsonInt | None = Field(default=None, ge=1, le=2**31 - 1)
    entries: list[EntryInput] | None = Field(default=None, max_length=ENTRIES_MAX)

    @field_validator("entries")
    @classmethod
    def _one_entry_per_principle(cls, entries: list[EntryInput] | None) -> list[EntryInput] | None:
        codes = [e.principle.upper() for e in entries or []]
        if len(set(codes)) != len(codes):
            raise ValueError("each principle may appear in one entry only")
        return entries

    @model_validator(mode="after")
    def _period(self) -> Self:
        _ordered(self.period_start, self.period_end)
        for field in ("period_start", "period_end"):
            if field in self.model_fields_set and getattr(self, field) is None:
                raise ValueError(f"{field} cannot be null")
        return self


class UpdateCreate(UpdateChange):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "period_start": "2025-01-01",
                    "period_end": "2025-12-31",
                    "summary": "What we did in 2025.",
                    "entries": [
                        {
                            "principle": "VP-01",
                            "status": "implemented",
                            "narrative": "Hash matching on every upload.",
                            "measures": [{"measure": "hash_matching"}],
                            "metrics": [
                                {
                                    "name": "reports to NCMEC",
                                    "value": 1200,
                                    "unit": "count",
                                    "period_start": "2025-01-01",
                                    "period_end": "2025-12-31",
                                }
                            ],
                            "evidence": [
                                {
                                    "url": "https://example.org/transparency",
                                    "title": "Transparency report",
                                }
                            ],
                        }
                    ],
                }
            ]
        }
    )

    framework_version: str | None = Field(
        default=None, max_length=20, description="Default: the current version."
    )
    period_start: ReportingDate
    period_end: ReportingDate
    entries: list[EntryInput] = Field(default_factory=list, max_length=ENTRIES_MAX)


class UpdateBatchCreate(InputModel):
    updates: list[UpdateCreate] = Field(min_length=1, max_length=BATCH_MAX)


class MeasureRead(PublicModel):
    measure: Measure
    detail: str | None


def _whole_as_int(value: float) -> int | float:
    """A whole number reads as one (1200, not 1200.0): counts are what companies report most."""
    return int(value) if float(value).is_integer() else value


class MetricRead(PublicModel):
    name: str
    value: Annotated[int | float, BeforeValidator(_whole_as_int)]
    unit: str
    period_start: date
    period_end: date


class EvidenceRead(PublicModel):
    url: str
    title: str | None


class EntryRead(PublicModel):
    principle: str
    status: ImplementationStatus
    narrative: str | None
    visibility: Visibility
    measures: list[MeasureRead]
    metrics: list[MetricRead]
    evidence: list[EvidenceRead]

    @classmethod
    def of(cls, entry: "EntryShown", principle: str) -> "EntryRead":
        return cls.model_validate(
            {
                "principle": principle,
                "status": entry.status,
                "narrative": entry.narrative,
                "visibility": entry.visibility,
                "measures": entry.measures,
                "metrics": entry.metrics,
                "evidence": entry.evidence,
            }
        )


class UpdateRead(PublicModel):
    id: int
    url: str
    company: str
    framework_version: str
    period_start: date
    period_end: date
    summary: str | None
    state: UpdateState
    revision: int
    supersedes: str | None = Field(description="URL of the revision this one amends.")
    superseded_by: str | None = Field(description="URL of the amendment that replaced this one.")
    reporting_cycle: int | None
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    entries: list[EntryRead] = Field(description="Only the entries the caller may see.")

    @classmethod
    def of(cls, view: "UpdateView") -> "UpdateRead":
        update = view.update
        return cls(
            id=update.id or 0,
            url=update_url(update.id or 0),
            company=view.company,
            framework_version=view.framework_version,
            period_start=update.period_start,
            period_end=update.period_end,
            summary=update.summary,
            state=UpdateState(update.state),
            revision=update.revision,
            supersedes=update_url(update.supersedes_id) if update.supersedes_id else None,
            superseded_by=update_url(view.superseded_by) if view.superseded_by else None,
            reporting_cycle=update.reporting_cycle_id,
            created_at=update.created_at,
            updated_at=update.updated_at,
            submitted_at=update.submitted_at,
            entries=[EntryRead.of(entry, code) for entry, code in view.entries],
        )


class UpdatePage(Page[UpdateRead]):
    pass


class UpdateBatchRead(PublicModel):
    updates: list[UpdateRead]
