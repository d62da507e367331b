"""Reads of endorsement events, and the two events that decide a company's status.

A company's status and the events that decide it are read from `company_status`, the read model
kept by `status.py`; nothing here derives them again.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, func
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from app.companies.models import Company
from app.core.dates import DateMatch, in_range
from app.core.db import AnySelect
from app.core.pagination import PageParams
from app.endorsements.models import (
    CompanyStatus,
    EndorsementEvent,
    EndorsementEventKind,
    EndorsementRetraction,
    EndorsementStatus,
)
from app.milestones.models import Milestone
from app.principles.models import FrameworkVersion
from app.stats.models import STATUS, StatCounter


def counting() -> ColumnElement[bool]:
    """The event counts: nobody retracted it (a retracted event stays in the history only)."""
    retracted = sa_select(col(EndorsementRetraction.id)).where(
        col(EndorsementRetraction.event_id) == EndorsementEvent.id
    )
    counts: ColumnElement[bool] = ~retracted.exists()
    return counts


@dataclass(frozen=True)
class StatusJoin:
    """A company's status row and the two events it names: latest, and latest `endorsed`."""

    latest: Any
    endorsed: Any

    @staticmethod
    def status_is(status: EndorsementStatus) -> ColumnElement[bool]:
        return col(CompanyStatus.status) == status


# Made once: an alias made per request costs SQLAlchemy ~5 ms of column bookkeeping each time
# (measured at 100k companies: most of a company page's CPU) and defeats its statement cache.
STATUS_JOIN = StatusJoin(
    latest=aliased(EndorsementEvent, name="latest_event"),
    endorsed=aliased(EndorsementEvent, name="endorsed_event"),
)


def with_status(statement: AnySelect) -> tuple[AnySelect, StatusJoin]:
    """Add the two events that decide a company's status to a statement over Company: found
    through `company_status` by primary key, never derived again here."""
    join = STATUS_JOIN
    statement = statement.add_columns(join.latest, join.endorsed)
    statement = statement.join_from(
        Company, CompanyStatus, col(CompanyStatus.company_id) == Company.id
    )
    statement = statement.outerjoin_from(
        CompanyStatus, join.latest, col(join.latest.id) == CompanyStatus.latest_event_id
    )
    statement = statement.outerjoin_from(
        CompanyStatus, join.endorsed, col(join.endorsed.id) == CompanyStatus.endorsed_event_id
    )
    return statement, join


@dataclass(frozen=True)
class EventRow:
    event: EndorsementEvent
    company_slug: str
    framework_version: str
    milestone_slug: str | None
    retraction: EndorsementRetraction | None = None


@dataclass(frozen=True)
class EventFilters:
    kind: EndorsementEventKind | None = None
    company_status: EndorsementStatus | None = None
    company: str | None = None
    occurred_after: date | None = None
    occurred_before: date | None = None
    date_match: DateMatch = DateMatch.CERTAIN


OLDEST_FIRST = (col(EndorsementEvent.earliest_on), col(EndorsementEvent.id))


def _event_rows(filters: EventFilters) -> AnySelect:
    statement: AnySelect = (
        sa_select(
            EndorsementEvent,
            col(Company.slug),
            col(FrameworkVersion.code),
            col(Milestone.slug),
            EndorsementRetraction,
        )
        .join(Company, col(Company.id) == EndorsementEvent.company_id)
        .join(FrameworkVersion, col(FrameworkVersion.id) == EndorsementEvent.framework_version_id)
        .outerjoin(Milestone, col(Milestone.id) == EndorsementEvent.milestone_id)
        .outerjoin(
            EndorsementRetraction, col(EndorsementRetraction.event_id) == EndorsementEvent.id
        )
    )
    conditions: list[ColumnElement[bool]] = []
    if filters.kind is not None:
        conditions.append(col(EndorsementEvent.kind) == filters.kind)
    if filters.company is not None:
        conditions.append(col(Company.slug) == filters.company)
    conditions += in_range(
        col(EndorsementEvent.earliest_on),
        col(EndorsementEvent.latest_on),
        filters.occurred_after,
        filters.occurred_before,
        filters.date_match,
    )
    if filters.company_status is not None:
        statement = statement.join(
            CompanyStatus, col(CompanyStatus.company_id) == EndorsementEvent.company_id
        )
        conditions.append(StatusJoin.status_is(filters.company_status))
    return statement.where(and_(True, *conditions))


def list_events(
    session: Session, filters: EventFilters, page: PageParams
) -> tuple[list[EventRow], int]:
    statement = _event_rows(filters)
    total = session.execute(select(func.count()).select_from(statement.subquery())).scalar_one()
    rows = session.execute(statement.order_by(*OLDEST_FIRST).limit(page.limit).offset(page.offset))
    return [EventRow(*row) for row in rows], total


def company_histories(session: Session, company_ids: list[int]) -> dict[int, list[EventRow]]:
    """Every event of each of these companies, oldest first, in one statement."""
    found: dict[int, list[EventRow]] = {company_id: [] for company_id in company_ids}
    statement = _event_rows(EventFilters()).where(col(EndorsementEvent.company_id).in_(company_ids))
    for row in session.execute(statement.order_by(*OLDEST_FIRST)):
        event = EventRow(*row)
        found[event.event.company_id].append(event)
    return found


ENDORSING_NOW = sa_select(col(StatCounter.amount)).where(
    col(StatCounter.counter) == STATUS, col(StatCounter.key) == EndorsementStatus.ENDORSED.value
)


def endorsing_count(session: Session) -> int:
    """How many companies endorse now: the status counter the writes keep (one row), where
    counting the status index read every endorsing company (milliseconds on every page at
    100,000)."""
    return int(session.execute(ENDORSING_NOW).scalar_one_or_none() or 0)


def endorsing_since_by(session: Session, day: date) -> int:
    """How many companies endorsing now had certainly endorsed by `day` (their endorsement's
    latest possible day is on or before it); for the API index's coverage, which names one
    public count and its date."""
    statement = sa_select(func.count()).where(
        col(CompanyStatus.status) == EndorsementStatus.ENDORSED.value,
        col(CompanyStatus.endorsed_latest) <= day,
    )
    return int(session.execute(statement).scalar_one())
