"""API models for reporting cycles."""

from collections import Counter
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Self

from pydantic import ConfigDict, Field, model_validator

from app.core.pagination import Page
from app.core.schemas import InputModel, PublicModel, ReportingDate, Slug
from app.core.urls import cycle_url, update_url
from app.cycles.models import ReportingCycle

if TYPE_CHECKING:
    from app.cycles.service import CycleCompanyRow


class CycleCreate(InputModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "title": "Calendar 2029",
                    "opens_on": "2030-01-04",
                    "due_on": "2030-03-31",
                    "period_start": "2029-01-01",
                    "period_end": "2029-12-31",
                }
            ]
        }
    )

    title: str = Field(min_length=1, max_length=300)
    opens_on: ReportingDate
    due_on: ReportingDate = Field(description="Not in the past when the cycle is opened.")
    period_start: ReportingDate = Field(description="First day of the period the cycle asks about.")
    period_end: ReportingDate = Field(
        description="Last day of that period: an update answers the cycle only if its own "
        "period covers this one."
    )
    companies: list[Slug] | None = Field(
        default=None,
        max_length=1000,
        description="Companies asked to report. Default: every company endorsing now.",
        json_schema_extra={"uniqueItems": True},
    )
    framework_version: str | None = Field(
        default=None, max_length=20, description="Default: the current version."
    )

    @model_validator(mode="after")
    def _dates(self) -> Self:
        if self.opens_on > self.due_on:
            raise ValueError("opens_on must not be after due_on")
        if self.period_start > self.period_end:
            raise ValueError("period_start must not be after period_end")
        if self.companies is not None and len(set(self.companies)) != len(self.companies):
            raise ValueError("each company may be named once")
        return self


class ReportingStatus(StrEnum):
    """One vocabulary for a company asked in a cycle, everywhere (cycle, statistics, README)."""

    SUBMITTED_ON_TIME = "submitted_on_time"
    SUBMITTED_LATE = "submitted_late"  # submitted after the due date
    OVERDUE = "overdue"  # the due date has passed and nothing was submitted
    NOT_YET_DUE = "not_yet_due"  # nothing submitted, and the due date has not passed


class CycleCompanyRead(PublicModel):
    company: str
    name: str
    status: ReportingStatus
    submitted_at: datetime | None = Field(description="When it first submitted for this cycle.")
    update_url: str | None = Field(description="The latest update submitted for this cycle.")

    @classmethod
    def of(cls, row: "CycleCompanyRow") -> "CycleCompanyRead":
        return cls(
            company=row.slug,
            name=row.name,
            status=row.status,
            submitted_at=row.submitted_at,
            update_url=update_url(row.update_id) if row.update_id else None,
        )


class CycleRead(PublicModel):
    id: int
    url: str
    title: str
    opens_on: date
    due_on: date
    period_start: date | None = Field(description="The period the cycle asks about.")
    period_end: date | None
    framework_version: str
    government: str | None = Field(description="The government or body that opened the cycle.")
    created_at: datetime

    @classmethod
    def of(cls, cycle: ReportingCycle, version: str) -> "CycleRead":
        return cls(
            id=cycle.id or 0,
            url=cycle_url(cycle.id or 0),
            title=cycle.title,
            opens_on=cycle.opens_on,
            due_on=cycle.due_on,
            period_start=cycle.period_start,
            period_end=cycle.period_end,
            framework_version=version,
            government=cycle.government,
            created_at=cycle.created_at,
        )


class CycleDetailRead(CycleRead):
    counts: dict[ReportingStatus, int]
    companies: list[CycleCompanyRead]

    @classmethod
    def of(  # type: ignore[override]  # a cycle's detail is made of more than its row
        cls, cycle: ReportingCycle, version: str, rows: list["CycleCompanyRow"]
    ) -> "CycleDetailRead":
        reports = [CycleCompanyRead.of(row) for row in rows]
        counts = Counter(report.status for report in reports)
        return cls(
            **CycleRead.of(cycle, version).model_dump(),
            counts={status: counts.get(status, 0) for status in ReportingStatus},
            companies=reports,
        )


class CyclePage(Page[CycleRead]):
    """Reporting cycles, latest due date first."""
