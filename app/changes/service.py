"""Reading the change feed, with the same visibility rules as the resources (`app/access.py`)."""

from sqlalchemy import select
from sqlmodel import Session, col

from app.access import Principal, change_visible
from app.audit.models import AuditRecord


def changes_since(
    session: Session, principal: Principal, since: int, limit: int
) -> list[AuditRecord]:
    """Up to `limit` changes after `since` that the caller may see, in commit order."""
    statement = (
        select(AuditRecord)
        .where(col(AuditRecord.seq) > since, change_visible(principal))
        .order_by(col(AuditRecord.seq))
        .limit(limit)
    )
    return list(session.execute(statement).scalars())


def latest_changes(session: Session, principal: Principal, limit: int) -> list[AuditRecord]:
    """The newest `limit` changes the caller may see, newest first (for the home page)."""
    statement = (
        select(AuditRecord)
        .where(change_visible(principal))
        .order_by(col(AuditRecord.seq).desc())
        .limit(limit)
    )
    return list(session.execute(statement).scalars())
