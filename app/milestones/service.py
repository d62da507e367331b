"""Queries over milestones."""

from sqlmodel import Session, col, select

from app.core.errors import NotFoundError
from app.milestones.models import Milestone


def list_milestones(session: Session) -> list[Milestone]:
    statement = select(Milestone).order_by(col(Milestone.occurred_on), col(Milestone.id))
    return list(session.exec(statement))


def get_milestone(session: Session, slug: str) -> Milestone:
    milestone = session.exec(select(Milestone).where(Milestone.slug == slug)).first()
    if milestone is None:
        raise NotFoundError(f"No milestone with slug {slug!r}.")
    return milestone
