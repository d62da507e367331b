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
