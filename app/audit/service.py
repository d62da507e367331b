"""Writing and reading the audit trail. Records are only ever added."""

import hashlib
import json
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.audit.models import Audience, AuditRecord
from app.audit.schemas import AuditQuery
from app.changes import clock
from app.changes.schemas import STATE_IN_FEED
from app.core.logs import current_request_id, current_server_request_id
from app.log import store as log


def digest(state: dict[str, Any] | None) -> str | None:
    if state is None:
        return None
    canonical = json.dumps(state, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    resource_type: str,
    resource_id: int,
    url: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    audience: Audience = Audience.PUBLIC,
    owner: int | None = None,
    request_id: str | None = None,
    public_state: dict[str, Any] | None = None,
) -> None:
    """Add an audit record, numbered by the change clock, to the caller's transaction, and a
    public one to the log. `request_id` names what made the change outside a request (the seed
    file and its digest); `public_state` is what everyone may see of the resource after it,
    when that is not `after` itself (an update's public entries)."""
    public = audience is Audience.PUBLIC
    audit_record = AuditRecord(
        seq=clock.advance(session, public=public),
        # Under the clock's row lock, which orders every writer: the next public number.
        public_seq=_next_public_seq(session) if public else None,
        actor=actor,
        request_id=request_id or current_request_id(),
        server_request_id=current_server_request_id(),
        action=action,
        resource_type=resource_type,
        resource_id=resource_id,
        url=url,
        audience=audience,
        owner_company_id=owner,
        before_digest=digest(before),
        after_digest=digest(after),
        # A draft is its company's alone (404 to everyone else, administrators included):
        # its record keeps the digest, never the content, so /audit cannot show it either.
        after=json.loads(json.dumps(after, default=str))
        if after is not None and audience is not Audience.OWNER
        else None,
    )
    session.add(audit_record)
    if public:
        shown = public_state if public_state is not None else _feed_state(audit_record)
        log.record_change(session, audit_record, shown)


def _next_public_seq(session: Session) -> int:
    found = session.execute(select(func.max(col(AuditRecord.public_seq)))).scalar_one_or_none()
    return int(found or 0) + 1


def _feed_state(audit_record: AuditRecord) -> dict[str, Any] | None:
    """The public state the change feed shows (companies, their events, milestones)."""
    return audit_record.after if audit_record.resource_type in STATE_IN_FEED else None


def history(session: Session, resource_type: str, resource_id: int) -> list[AuditRecord]:
    statement = (
        select(AuditRecord)
        .where(AuditRecord.resource_type == resource_type, AuditRecord.resource_id == resource_id)
        .order_by(col(AuditRecord.id))
    )
    return list(session.exec(statement))


def search(session: Session, where: AuditQuery, limit: int) -> list[AuditRecord]:
    """Records after cursor `where.since` that match every given field, in commit order."""
    equal = {
        col(AuditRecord.actor): where.actor,
        col(AuditRecord.action): where.action,
        col(AuditRecord.resource_type): where.resource_type,
        col(AuditRecord.resource_id): where.resource_id,
        col(AuditRecord.request_id): where.request_id,
    }
    statement = select(AuditRecord).where(col(AuditRecord.seq) > where.since)
    for column, value in equal.items():
        if value is not None:
            statement = statement.where(column == value)
    if where.at_from is not None:
        statement = statement.where(col(AuditRecord.at) >= where.at_from)
    if where.until is not None:
        statement = statement.where(col(AuditRecord.at) < where.until)
    return list(session.exec(statement.order_by(col(AuditRecord.seq)).limit(limit)))
