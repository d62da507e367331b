"""API models for search results."""

from pydantic import Field

from app.core.schemas import PublicModel


class CompanyResult(PublicModel):
    slug: str
    name: str
    url: str
    rank: float = Field(description="Higher is better; comparable within one answer only.")


class EntryResult(PublicModel):
    update_url: str
    company: str
    principle: str
    status: str
    narrative: str
    rank: float


class SearchResults(PublicModel):
    q: str
    companies: list[CompanyResult]
    entries: list[EntryResult] = Field(description="Update entries whose narrative matches.")
