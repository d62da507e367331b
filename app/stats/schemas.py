"""API models for the dashboard statistics: small, one request each."""

from pydantic import Field

from app.core.pagination import Page
from app.core.schemas import PublicModel
from app.updates.models import ImplementationStatus


class MonthCount(PublicModel):
    month: str = Field(description="YYYY-MM")
    endorsing: int = Field(description="Companies endorsing at the end of the month.")
    endorsed_this_month: int
    withdrawn_this_month: int


class EndorsementsOverTime(PublicModel):
    notice: str
    months: list[MonthCount]


class CoverageRow(PublicModel):
    company: str
    statuses: dict[str, ImplementationStatus] = Field(
        description="Principle code -> latest published status; absent: nothing published."
    )


class CoverageMatrix(Page[CoverageRow]):
    framework_version: str
    principles: list[str]


class PrincipleAdoption(PublicModel):
    principle: str
    title: str
    companies_reporting: int
    by_status: dict[ImplementationStatus, int]


class CycleCompliance(PublicModel):
    cycle: int
    url: str
    title: str
    due_on: str
    asked: int
    submitted: int
    submitted_on_time: int
    late: int
    not_yet_due: int


class GroupCount(PublicModel):
    key: str | None = Field(description="Country code or sector; null when not recorded.")
    companies: int
    endorsing: int


class Breakdown(PublicModel):
    by_country: list[GroupCount]
    by_sector: list[GroupCount]
