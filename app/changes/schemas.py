"""API models for the change feed."""

from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import Field

from app.core.pagination import CursorPage
from app.core.schemas import PublicModel

if TYPE_CHECKING:
    from app.audit.models import AuditRecord

# Whose states are public documents (the company's curated record and each endorsement event,
# as /companies/{slug}/history shows them; milestones). An update's state may hold restricted
# entries: the feed names it, and its URL answers each reader with what they may see.
STATE_IN_FEED = frozenset({"company", "milestone"})


class ChangeRead(PublicModel):
    seq: int = Field(
        description="Position in commit order among the changes you may see (public changes "
        "alone are numbered among themselves); pass the last one seen as `since`."
    )
    at: datetime
    action: str = Field(description="e.g. company.changed, endorsement.withdrawn, update.submitted")
    resource_type: str
    url: str = Field(description="Where the changed resource is.")
    state: dict[str, Any] | None = Field(
        description="The public document after the change, for companies (their record, or the "
        "endorsement event) and milestones: following the feed from 0 rebuilds them. Null for "
        "updates, reviews and cycles: read them at `url`."
    )

    @classmethod
    def of(cls, seq: int, record: "AuditRecord") -> "ChangeRead":
        """The change, numbered as the caller's feed numbers it."""
        return cls(
            seq=seq,
            at=record.at,
            action=record.action,
            resource_type=record.resource_type,
            url=record.url,
            state=record.after if record.resource_type in STATE_IN_FEED else None,
        )


class ChangePage(CursorPage[ChangeRead]):
    """Changes in commit order, only those the caller may see."""
