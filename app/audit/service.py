"""Writing and reading the audit trail. Records are only ever added."""

import hashlib
import json
from typing import Any

from sqlmodel import Session, col, select

from app.audit.models import AuditRecord


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
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    """Add an audit record to the caller's transaction (it commits with the change)."""
    session.add(
        AuditRecord(
            actor=actor,
            action=action,
            resource_type=resource_type,
            resource_id=resource_id,
            before_digest=digest(before),
            after_digest=digest(after),
            after=json.loads(json.dumps(after, default=str)) if after is not None else None,
        )
    )


def history(session: Session, resource_type: str, resource_id: int) -> list[AuditRecord]:
    statement = (
        select(AuditRecord)
        .where(AuditRecord.resource_type == resource_type, AuditRecord.resource_id == resource_id)
        .order_by(col(AuditRecord.id))
    )
    return list(session.exec(statement))
