"""Keeping `company_status` in step with the event history, in the transaction that writes.

One definition serves both ways of keeping it: `refresh` recomputes one company's row after a
write; `rebuild` recomputes every row from the history (`vpr rebuild`, bulk loads). The order
of a company's events is (occurred_on, id): the latest decides its status, and the latest
`endorsed` event dates the endorsement that status refers to.
"""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, case, delete, func, insert, true
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from app.companies.models import Company
from app.core.db import transactional
from app.endorsements.models import (
    STATUS_AFTER_EVENT,
    CompanyStatus,
    EndorsementEvent,
    EndorsementEventKind,
    EndorsementStatus,
)

COLUMNS = [
    "company_id",
    "status",
    "latest_event_id",
    "endorsed_event_id",
    "endorsed_on",
    "sort_name",
]


def _latest_event_id(kinds: Sequence[EndorsementEventKind] | None = None) -> Any:
    """Correlated subquery: id of the company's latest event (of the given kinds)."""
    event = aliased(EndorsementEvent)
    statement = select(event.id).where(event.company_id == Company.id)
    if kinds:
        statement = statement.where(col(event.kind).in_(list(kinds)))
    return (
        statement.order_by(col(event.occurred_on).desc(), col(event.id).desc())
        .limit(1)
        .correlate(Company)
        .scalar_subquery()
    )


def _derived(companies: ColumnElement[bool]) -> Any:
    """The rows of `company_status` as the history says they are, for the chosen companies."""
    latest, endorsed = aliased(EndorsementEvent), aliased(EndorsementEvent)
    status = case(
        *[(col(latest.kind) == kind, after.value) for kind, after in STATUS_AFTER_EVENT.items()],
        else_=EndorsementStatus.NOT_ENDORSED.value,
    )
    return (
        sa_select(
            col(Company.id),
            status,
            col(latest.id),
            col(endorsed.id),
            col(endorsed.occurred_on),
            func.lower(Company.name),  # the database's own lower(), as every sort compares
        )
        .select_from(Company)
        .outerjoin(latest, col(latest.id) == _latest_event_id())
        .outerjoin(endorsed, col(endorsed.id) == _latest_event_id([EndorsementEventKind.ENDORSED]))
        .where(companies)
    )


def _replace(bind: Session | Connection, companies: ColumnElement[bool], rows: Any) -> None:
    bind.execute(delete(CompanyStatus).where(rows))
    bind.execute(insert(CompanyStatus).from_select(COLUMNS, _derived(companies)))


def refresh(session: Session, company_id: int) -> None:
    """After a write to one company (its names, its events): its row, recomputed."""
    _replace(
        session,
        col(Company.id) == company_id,
        col(CompanyStatus.company_id) == company_id,
    )


def rebuild(bind: Session | Connection) -> None:
    """Every row, recomputed from the history (after a bulk load, or to check the increments)."""
    _replace(bind, true(), true())


@transactional
def rebuild_all(session: Session) -> int:
    """`vpr rebuild`: every row recomputed in one transaction; how many companies it holds."""
    rebuild(session)
    return int(session.execute(sa_select(func.count()).select_from(CompanyStatus)).scalar_one())
