"""API models for companies."""

from datetime import date, datetime

from pydantic import Field

from app.companies.models import Sector
from app.companies.service import CompanyRow
from app.core.pagination import Page
from app.core.routing import API_PREFIX
from app.core.schemas import PublicModel
from app.endorsements.schemas import EndorsementEventPublic, EndorsementSummary
from app.updates.models import ImplementationStatus
from app.updates.service import PrincipleStatus


class FormerName(PublicModel):
    name: str
    used_until: date | None


class CompanyPublic(PublicModel):
    slug: str
    name: str
    former_names: list[FormerName]
    country: str | None = Field(description="Headquarters, ISO 3166-1 alpha-2.")
    sectors: list[Sector]
    website: str | None
    endorsement: EndorsementSummary
    url: str

    @classmethod
    def of(cls, row: CompanyRow) -> "CompanyPublic":
        company = row.company
        return cls(
            slug=company.slug,
            name=company.name,
            former_names=[FormerName.model_validate(f) for f in company.former_names],
            country=company.country,
            sectors=[Sector(s.sector) for s in company.sectors],
            website=company.website,
            endorsement=EndorsementSummary.of(row.latest, row.endorsed),
            url=f"{API_PREFIX}/companies/{company.slug}",
        )


class PrincipleStatusPublic(PublicModel):
    principle: str
    framework_version: str
    status: ImplementationStatus
    period_start: date
    period_end: date
    submitted_at: datetime
    update_url: str

    @classmethod
    def of(cls, row: PrincipleStatus) -> "PrincipleStatusPublic":
        return cls(
            principle=row.principle,
            framework_version=row.framework_version,
            status=ImplementationStatus(row.status),
            period_start=row.period_start,
            period_end=row.period_end,
            submitted_at=row.submitted_at,
            update_url=f"{API_PREFIX}/updates/{row.update_id}",
        )


class CompanyDetail(CompanyPublic):
    notice: str
    endorsement_history: list[EndorsementEventPublic] = Field(description="Oldest first.")
    implementation: list[PrincipleStatusPublic] = Field(
        description="Per principle, the status in the company's latest published update."
    )
    created_at: datetime
    updated_at: datetime


class CompanyPage(Page[CompanyPublic]):
    notice: str
