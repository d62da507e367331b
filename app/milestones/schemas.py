"""API models for milestones."""

from pydantic import Field

from app.core.schemas import PartialDate, PublicModel
from app.core.urls import milestone_url
from app.milestones.models import Milestone


class MilestoneRead(PublicModel):
    slug: str
    occurred_on: PartialDate
    title: str
    description: str | None
    source_url: str | None = Field(description="A public source for the event, when we hold one.")
    url: str

    @classmethod
    def of(cls, milestone: Milestone) -> "MilestoneRead":
        return cls(
            slug=milestone.slug,
            occurred_on=PartialDate.of(milestone.occurred_on, milestone.date_precision),
            title=milestone.title,
            description=milestone.description,
            source_url=milestone.source_url,
            url=milestone_url(milestone.slug),
        )
