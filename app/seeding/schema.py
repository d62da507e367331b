"""The shape of the seed files, checked strictly so that a typo fails loudly."""

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from app.companies.models import Sector
from app.companies.schemas import CountryCode
from app.core.schemas import HttpsUrl, Slug
from app.core.types import DatePrecision
from app.endorsements.models import EndorsementEventKind


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PrincipleSeed(Strict):
    code: str
    title: str
    summary: str


class ThemeSeed(Strict):
    code: str
    title: str
    principles: list[PrincipleSeed]


class VersionSeed(Strict):
    code: str
    title: str
    published_on: date
    source_url: str
    principle_source_url: str
    themes: list[ThemeSeed]


class FrameworkSeed(Strict):
    versions: list[VersionSeed]


class MilestoneSeed(Strict):
    slug: str
    occurred_on: date
    precision: DatePrecision
    title: str
    description: str | None = None
    source_url: str | None = None


class MilestonesSeed(Strict):
    milestones: list[MilestoneSeed]


class EndorsementSeed(Strict):
    kind: EndorsementEventKind
    occurred_on: date
    precision: DatePrecision
    source_url: str = Field(pattern=r"^https://")
    drafter: bool = False
    milestone: str | None = None
    note: str | None = None
    framework_version: str = "2020"


class CompanySeed(Strict):
    slug: Slug
    name: str = Field(min_length=1, max_length=200)
    former_names: list[str] = []
    country: CountryCode | None = None
    sectors: list[Sector] = []
    website: HttpsUrl | None = None
    endorsements: list[EndorsementSeed] = []


class CompaniesSeed(Strict):
    companies: list[CompanySeed]
