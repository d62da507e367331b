"""Reading the change feed, with the same visibility rules as the resources (`app/access.py`).

A caller who may learn of public changes alone is given their public numbers (`public_seq`);
others, who also see private changes, the number of every change (`seq`)."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from app.access import Principal, change_visible, public_changes_only
from app.audit.models import AuditRecord


@dataclass(frozen=True)
class NumberedChange:
    seq: int  # its number in this caller's feed
    record: AuditRecord


def _number(principal: Principal) -> Any:
    return col(AuditRecord.public_seq if public_changes_only(principal) else AuditRecord.seq)


def changes_since(
    session: Session, principal: Principal, since: int, limit: int
) -> list[NumberedChange]:
    """Up to `limit` changes after `since` that the caller may see, in commit order."""
    number = _number(principal)
    statement = (
        select(number, AuditRecord)
        .where(number > since, change_visible(principal))
        .order_by(number)
        .limit(limit)
    )
    return [NumberedChange(int(seq), record) for seq, record in session.execute(statement)]


def latest_changes(session: Session, principal: Principal, limit: int) -> list[NumberedChange]:
    """The newest `limit` changes the caller may see, newest first (for the home page)."""
    number = _number(principal)
    statement = (
        select(number, AuditRecord)
        .where(change_visible(principal))
        .order_by(number.desc())
        .limit(limit)
    )
    return [NumberedChange(int(seq), record) for seq, record in session.execute(statement)]
