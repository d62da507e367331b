"""Keeping `company_status` in step with the event history, in the transaction that writes.

One definition serves both ways of keeping it: `refresh` recomputes one company's row after a
write; `rebuild` recomputes every row from the history (`vpr rebuild`, bulk loads) in one pass.
The order of a company's events is (earliest day, id), retracted events left out: the latest
decides its status, and the latest `endorsed` event dates the endorsement that status refers to.
"""

from typing import Any

from sqlalchemy import Connection, String, and_, case, cast, delete, func, insert, true
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from app.changes import clock
from app.companies import documents
from app.companies.models import Company
from app.core.dates import PRECISION_RANK
from app.endorsements.models import (
    STATUS_AFTER_EVENT,
    CompanyStatus,
    EndorsementEvent,
    EndorsementEventKind,
    EndorsementStatus,
)
from app.endorsements.queries import counting
from app.stats import counters

COLUMNS = [
    "company_id",
    "status",
    "latest_event_id",
    "endorsed_event_id",
    "endorsed_on",
    "endorsed_latest",
    "endorsed_order",
    "sort_name",
]


def _ranked(company_id: int | None) -> Any:
    """Each event that counts with its rank among its company's events, and among its `endorsed`
    ones (1 = latest). Window functions: one pass over the events, on both engines."""
    newest_first = (col(EndorsementEvent.earliest_on).desc(), col(EndorsementEvent.id).desc())
    company = col(EndorsementEvent.company_id)
    endorsed = col(EndorsementEvent.kind) == EndorsementEventKind.ENDORSED
    statement = sa_select(
        col(EndorsementEvent.id),
        company,
        col(EndorsementEvent.kind),
        col(EndorsementEvent.earliest_on),
        col(EndorsementEvent.latest_on),
        col(EndorsementEvent.date_precision),
        func.row_number().over(partition_by=company, order_by=newest_first).label("latest"),
        func.row_number()
        .over(partition_by=(company, endorsed), order_by=newest_first)
        .label("of_kind"),
    )
    statement = statement.where(counting())
    if company_id is not None:
        statement = statement.where(company == company_id)
    return statement.subquery("ranked")


def _derived(company_id: int | None) -> Any:
    """The rows of `company_status` as the history says they are: every company's, or one's."""
    ranked = _ranked(company_id)
    latest, endorsed = ranked.alias("latest"), ranked.alias("endorsed")
    status = case(
        *[(latest.c.kind == kind, after.value) for kind, after in STATUS_AFTER_EVENT.items()],
        else_=EndorsementStatus.NOT_ENDORSED.value,
    )
    sort_name = func.lower(Company.name)  # the database's own lower(), as every sort compares
    rank = case(
        *[(endorsed.c.date_precision == p.value, str(n)) for p, n in PRECISION_RANK.items()]
    )
    # Text that sorts as the list does: earliest day, then precision, then name.
    order = cast(endorsed.c.earliest_on, String) + " " + rank + " " + sort_name
    statement = (
        sa_select(
            col(Company.id),
            status,
            latest.c.id,
            endorsed.c.id,
            endorsed.c.earliest_on,
            endorsed.c.latest_on,
            order,
            sort_name,
        )
        .select_from(Company)
        .outerjoin(latest, and_(latest.c.company_id == Company.id, latest.c.latest == 1))
        .outerjoin(
            endorsed,
            and_(
                endorsed.c.company_id == Company.id,
                endorsed.c.kind == EndorsementEventKind.ENDORSED,
                endorsed.c.of_kind == 1,
            ),
        )
    )
    return statement if company_id is None else statement.where(col(Company.id) == company_id)


def _replace(bind: Session | Connection, company_id: int | None) -> None:
    rows = true() if company_id is None else col(CompanyStatus.company_id) == company_id
    bind.execute(delete(CompanyStatus).where(rows))
    bind.execute(insert(CompanyStatus).from_select(COLUMNS, _derived(company_id)))
    clock.move_order(bind, clock.ListOrder.COMPANIES)  # positions kept in it no longer hold


def refresh(session: Session, company_id: int) -> None:
    """After a write to one company (its names, sectors, events): its row, recomputed, then its
    share of the statistics' counters, which depends on that row."""
    _replace(session, company_id)
    counters.refresh(session, company_id)
    documents.mark(session, company_id)


def rebuild(bind: Session | Connection) -> None:
    """Every row, recomputed from the history (after a bulk load, or to check the increments),
    then the statistics' counters."""
    _replace(bind, None)
    counters.rebuild(bind)
