"""Logging the changes made before the log existed: `vpr migrate` appends a leaf for every
public audit record the log does not hold yet, in commit order. Companies and milestones are
logged with the state their audit record kept; an update with its public document as it is
when the backfill runs (what it was when submitted is not kept elsewhere)."""

from sqlalchemy import func, select
from sqlmodel import Session, col

from app.audit.models import Audience, AuditRecord
from app.changes.schemas import STATE_IN_FEED
from app.log.models import LogLeaf
from app.log.store import record_change
from app.updates.queries import public_document


def backfill(session: Session) -> int:
    """The leaves added."""
    last = session.execute(select(func.max(col(LogLeaf.seq)))).scalar_one_or_none() or 0
    missing = session.execute(
        select(AuditRecord)
        .where(col(AuditRecord.public_seq) > last, col(AuditRecord.audience) == Audience.PUBLIC)
        .order_by(col(AuditRecord.public_seq))
    ).scalars()
    added = 0
    for change in missing:
        if change.resource_type in STATE_IN_FEED:
            state = change.after
        elif change.resource_type == "update":
            state = public_document(session, change.resource_id)
        else:
            state = None
        record_change(session, change, state)
        added += 1
    return added
