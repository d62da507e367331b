"""Advancing and reading the change clock (see models.py for why it gives commit order)."""

from sqlalchemy import select, update
from sqlmodel import Session, col

from app.changes.models import ChangeClock


def advance(session: Session) -> int:
    """The next sequence number; the clock row stays locked until this transaction ends."""
    statement = (
        update(ChangeClock)
        .where(col(ChangeClock.id) == 1)
        .values(value=col(ChangeClock.value) + 1)
        .returning(col(ChangeClock.value))
    )
    return int(session.execute(statement).scalar_one())


def current(session: Session) -> int:
    return int(session.execute(select(col(ChangeClock.value))).scalar_one())
