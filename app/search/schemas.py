"""API models for search results."""

from pydantic import Field

from app.core.schemas import PublicModel
from app.core.urls import company_url, update_url
from app.updates.models import UpdateEntry


class CompanyHitRead(PublicModel):
    slug: str
    name: str
    url: str
    rank: float = Field(description="Higher is better; comparable within one answer only.")

    @classmethod
    def of(cls, slug: str, name: str, rank: float) -> "CompanyHitRead":
        return cls(slug=slug, name=name, url=company_url(slug), rank=rank)


class EntryHitRead(PublicModel):
    update_url: str
    company: str
    principle: str
    status: str
    narrative: str
    rank: float

    @classmethod
    def of(cls, entry: UpdateEntry, company: str, principle: str, rank: float) -> "EntryHitRead":
        return cls(
            update_url=update_url(entry.update_id),
            company=company,
            principle=principle,
            status=entry.status,
            narrative=entry.narrative or "",
            rank=rank,
        )


class SearchRead(PublicModel):
    q: str
    companies: list[CompanyHitRead]
    entries: list[EntryHitRead] = Field(description="Update entries whose narrative matches.")
