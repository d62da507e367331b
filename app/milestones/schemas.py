"""API models for milestones."""

from pydantic import Field

from app.core.dates import parse_stated
from app.core.pagination import Page
from app.core.schemas import PartialDate, PublicModel
from app.core.urls import milestone_url
from app.milestones.models import Milestone


class CitationRead(PublicModel):
    """A source named by who published it, its title and date, where no stable URL is known."""

    publisher: str | None
    title: str
    date: PartialDate | None = Field(description="When it was published, as precisely as known.")

    @classmethod
    def of(cls, milestone: Milestone) -> "CitationRead | None":
        if milestone.cited_title is None:
            return None
        published = parse_stated(milestone.cited_date) if milestone.cited_date else None
        return cls(
            publisher=milestone.cited_publisher,
            title=milestone.cited_title,
            date=PartialDate.of(*published) if published else None,
        )


class MilestoneRead(PublicModel):
    slug: str
    occurred_on: PartialDate
    title: str
    description: str | None
    source_url: str | None = Field(description="A public page stating the event, if one is known.")
    citation: CitationRead | None = Field(
        description="The document stating the event, named, where no stable URL is known (or "
        "beside one). Every milestone has a source_url, a citation or both."
    )
    url: str

    @classmethod
    def of(cls, milestone: Milestone) -> "MilestoneRead":
        return cls(
            slug=milestone.slug,
            occurred_on=PartialDate.of(milestone.occurred_on, milestone.date_precision),
            title=milestone.title,
            description=milestone.description,
            source_url=milestone.source_url,
            citation=CitationRead.of(milestone),
            url=milestone_url(milestone.slug),
        )


class MilestonePage(Page[MilestoneRead]):
    """Milestones, oldest first."""
