"""API models for the change feed."""

from datetime import datetime

from pydantic import Field

from app.core.pagination import CursorPage
from app.core.schemas import PublicModel


class ChangeRead(PublicModel):
    seq: int = Field(description="Position in commit order; pass the last one seen as `since`.")
    at: datetime
    action: str = Field(description="e.g. company.changed, endorsement.withdrawn, update.submitted")
    resource_type: str
    url: str = Field(description="Where the changed resource is.")


class ChangePage(CursorPage[ChangeRead]):
    """Changes in commit order, only those the caller may see."""
