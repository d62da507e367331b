"""Reading the change feed, with the same visibility rules as the resources."""

from dataclasses import dataclass

from sqlalchemy import ColumnElement, or_, select
from sqlmodel import Session, col

from app.audit.models import Audience, AuditRecord
from app.keys.dependencies import Principal
from app.keys.models import Role


def audience_filter(principal: Principal) -> ColumnElement[bool]:
    """Which changes the caller may learn about: the same rules as the resources themselves."""
    audience = col(AuditRecord.audience)
    seen = [audience == Audience.PUBLIC]
    if principal.role in {Role.ADMIN, Role.GOVERNMENT}:
        seen.append(audience == Audience.RESTRICTED)
    if principal.role is Role.ADMIN:
        seen.append(audience == Audience.ADMIN)
    if principal.role is Role.COMPANY:
        owned = col(AuditRecord.owner_company_id) == principal.company_id
        seen.append(owned & audience.in_([Audience.OWNER, Audience.RESTRICTED]))
    return or_(*seen)


@dataclass(frozen=True)
class ChangePage:
    changes: list[AuditRecord]
    cursor: int


def changes_since(session: Session, principal: Principal, since: int, limit: int) -> ChangePage:
    """Changes after `since`, in commit order; the cursor to pass next time."""
    statement = (
        select(AuditRecord)
        .where(col(AuditRecord.seq) > since, audience_filter(principal))
        .order_by(col(AuditRecord.seq))
        .limit(limit)
    )
    changes = list(session.execute(statement).scalars())
    return ChangePage(changes, changes[-1].seq if changes else since)
