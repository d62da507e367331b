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
    companies: list[CompanyHitRead] = Field(
        description="Companies whose current or a former name matches: the best ranked among "
        "the newest `ranked_among` matches."
    )
    companies_complete: bool = Field(
        description="True when every matching company was ranked; false when older matches "
        "were left out (add words to narrow the search)."
    )
    entries: list[EntryHitRead] = Field(
        description="Update entries whose narrative matches: the best ranked among the newest "
        "`ranked_among` matches you may see."
    )
    entries_complete: bool = Field(
        description="True when every matching entry was ranked; false when older matches were "
        "left out (add words to narrow the search)."
    )
    ranked_among: int = Field(description="At most this many matches of each kind are ranked.")
