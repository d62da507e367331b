"""Queries over milestones."""

from sqlalchemy import case
from sqlmodel import Session, col, select

from app.core.dates import PRECISION_RANK
from app.core.errors import NotFoundError
from app.milestones.models import Milestone


def list_milestones(session: Session) -> list[Milestone]:
    """Oldest first, as endorsements are ordered: by the earliest day a milestone's date can
    mean, then the more precise date first (5 March 2020 before March 2020 before 2020)."""
    precision = col(Milestone.date_precision)
    rank = case(*[(precision == p.value, n) for p, n in PRECISION_RANK.items()], else_=9)
    statement = select(Milestone).order_by(col(Milestone.occurred_on), rank, col(Milestone.id))
    return list(session.exec(statement))


def get_milestone(session: Session, slug: str) -> Milestone:
    milestone = session.exec(select(Milestone).where(Milestone.slug == slug)).first()
    if milestone is None:
        raise NotFoundError(f"No milestone with slug {slug!r}.")
    return milestone
