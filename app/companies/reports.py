"""What each company publishes itself, as administrators link it: the link's API models, and
the links read beside the company's detail (added by `service.link_report`, never changed)."""

from collections import defaultdict
from datetime import date, datetime

from pydantic import ConfigDict, Field, field_validator
from sqlmodel import Session, col, select

from app.companies.models import CompanyReport
from app.core.dates import parse_stated
from app.core.schemas import HttpsUrl, InputModel, PartialDate, PublicModel
from app.core.types import DatePrecision


class CompanyReportRead(PublicModel):
    """A report the company publishes itself, as an administrator linked it."""

    title: str
    publisher: str
    published: PartialDate = Field(description="As precisely as the report states it.")
    url: str = Field(description="Where the company publishes it (https).")
    recorded_at: datetime = Field(description="When the registry recorded the link (UTC).")

    @classmethod
    def of(cls, report: CompanyReport) -> "CompanyReportRead":
        return cls(
            title=report.title,
            publisher=report.publisher,
            published=PartialDate.of(report.published_on, report.published_precision),
            url=report.url,
            recorded_at=report.recorded_at,
        )


class CompanyReportCreate(InputModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "title": "Transparency report, second half of 2024",
                    "publisher": "Example Video Co",
                    "published_on": "2025-03",
                    "url": "https://video.example/transparency/2024-h2",
                }
            ]
        }
    )

    title: str = Field(min_length=1, max_length=300)
    publisher: str = Field(min_length=1, max_length=200, description="Who publishes it.")
    published_on: str = Field(
        max_length=10,
        description="As the report states it: `2025-03-14` (a day), `2025-03` or `2025`.",
    )
    url: HttpsUrl

    @field_validator("published_on")
    @classmethod
    def _stated(cls, text: str) -> str:
        parse_stated(text)  # ValueError -> 422 in words
        return text

    def stated(self) -> tuple[date, DatePrecision]:
        return parse_stated(self.published_on)


def reports_of(session: Session, company_ids: list[int]) -> dict[int, list[CompanyReport]]:
    """The linked reports of these companies, newest publication first."""
    found: dict[int, list[CompanyReport]] = defaultdict(list)
    statement = (
        select(CompanyReport)
        .where(col(CompanyReport.company_id).in_(company_ids))
        .order_by(col(CompanyReport.published_on).desc(), col(CompanyReport.id).desc())
    )
    for report in session.exec(statement):
        found[report.company_id].append(report)
    return found
