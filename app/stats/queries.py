"""Dashboard statistics, each a handful of aggregate queries."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from app.companies.models import Company, CompanySector
from app.core.db import AnySelect
from app.core.pagination import PageParams
from app.core.types import utcnow
from app.cycles.models import ReportingCycle
from app.cycles.schemas import ReportingStatus
from app.cycles.service import company_rows
from app.endorsements.models import (
    STATUS_AFTER_EVENT,
    EndorsementEvent,
    EndorsementEventKind,
    EndorsementStatus,
)
from app.endorsements.queries import with_status
from app.principles.models import FrameworkVersion, Principle
from app.updates.models import PublishedStatus, PublishedStatusCount, ReportingCompany


@dataclass(frozen=True)
class Month:
    month: str
    endorsing: int
    endorsed: int
    withdrawn: int


def _months(first: date, last: date) -> list[str]:
    """YYYY-MM from first's month to last's, inclusive."""
    start, end = first.year * 12 + first.month - 1, last.year * 12 + last.month - 1
    return [f"{m // 12:04d}-{m % 12 + 1:02d}" for m in range(start, end + 1)]


def endorsements_over_time(session: Session) -> list[Month]:
    """Companies endorsing at the end of each month, from the first event to this month."""
    event = EndorsementEvent
    events = session.execute(
        sa_select(col(event.company_id), col(event.kind), col(event.occurred_on)).order_by(
            col(event.occurred_on), col(event.id)
        )
    ).all()
    if not events:
        return []
    status: dict[int, EndorsementStatus] = {}
    endorsing = 0
    endorsing_at: dict[str, int] = {}
    started: Counter[str] = Counter()
    stopped: Counter[str] = Counter()
    for company_id, kind, occurred_on in events:
        month = occurred_on.strftime("%Y-%m")
        was = status.get(company_id) is EndorsementStatus.ENDORSED
        status[company_id] = STATUS_AFTER_EVENT[EndorsementEventKind(kind)]
        now = status[company_id] is EndorsementStatus.ENDORSED
        if now and not was:
            started[month] += 1
            endorsing += 1
        elif was and not now:
            stopped[month] += 1
            endorsing -= 1
        endorsing_at[month] = endorsing
    result, endorsing = [], 0
    for month in _months(events[0][2], utcnow().date()):
        endorsing = endorsing_at.get(month, endorsing)
        result.append(Month(month, endorsing, started[month], stopped[month]))
    return result


def principles_of(session: Session, version: FrameworkVersion) -> list[Principle]:
    statement = (
        select(Principle)
        .where(Principle.framework_version_id == version.id)
        .order_by(col(Principle.position))
    )
    return list(session.exec(statement))


def coverage(
    session: Session, version: FrameworkVersion, page: PageParams
) -> tuple[list[tuple[str, dict[str, str]]], int]:
    """Company x principle -> latest published status, for companies that published any (from
    the read model: an index range for the page, the count, and the page's statuses)."""
    reporting = col(ReportingCompany.framework_version_id) == version.id
    total = session.execute(
        sa_select(func.count()).select_from(ReportingCompany).where(reporting)
    ).scalar_one()
    companies = session.execute(
        sa_select(col(ReportingCompany.company_id), col(ReportingCompany.slug))
        .where(reporting)
        .order_by(col(ReportingCompany.slug))
        .limit(page.limit)
        .offset(page.offset)
    ).all()
    statuses: dict[int, dict[str, str]] = defaultdict(dict)
    rows = session.execute(
        sa_select(col(PublishedStatus.company_id), col(Principle.code), col(PublishedStatus.status))
        .join(Principle, col(Principle.id) == PublishedStatus.principle_id)
        .where(
            col(PublishedStatus.company_id).in_([company_id for company_id, _ in companies]),
            col(PublishedStatus.framework_version_id) == version.id,
        )
    )
    for company_id, code, status in rows:
        statuses[company_id][code] = status
    return [(slug, statuses[company_id]) for company_id, slug in companies], total


def adoption(session: Session, version: FrameworkVersion) -> dict[int, Counter[str]]:
    """Per principle id: how many companies' latest published status is each status (kept as
    counts by every submission)."""
    statement = (
        sa_select(
            col(PublishedStatusCount.principle_id),
            col(PublishedStatusCount.status),
            col(PublishedStatusCount.companies),
        )
        .join(Principle, col(Principle.id) == PublishedStatusCount.principle_id)
        .where(col(Principle.framework_version_id) == version.id)
    )
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for principle_id, status, companies in session.execute(statement):
        if companies:
            counts[principle_id][status] = companies
    return counts


@dataclass(frozen=True)
class Compliance:
    cycle: ReportingCycle
    asked: int
    counts: Counter[ReportingStatus]
    on_time: int


def compliance(session: Session) -> list[Compliance]:
    """Per reporting cycle (there are few): who was asked, submitted, late."""
    cycles = session.exec(select(ReportingCycle).order_by(col(ReportingCycle.due_on).desc()))
    result = []
    for cycle in cycles:
        rows = company_rows(session, cycle)
        counts = Counter(row.status for row in rows)
        submitted = [r for r in rows if r.status is ReportingStatus.SUBMITTED]
        on_time = sum(1 for r in submitted if not r.submitted_late)
        result.append(Compliance(cycle, len(rows), counts, on_time))
    return result


GroupRow = tuple[str | None, int, int]


def breakdown(session: Session) -> tuple[list[GroupRow], list[GroupRow]]:
    """Companies and endorsing companies by headquarters country and by sector."""
    statement, join = with_status(sa_select(col(Company.id)))
    endorsing = case((join.status_is(EndorsementStatus.ENDORSED), 1), else_=0)
    base = statement.with_only_columns(
        col(Company.id).label("company_id"),
        col(Company.country).label("country"),
        endorsing.label("endorsing"),
    ).subquery()
    by_country = sa_select(base.c.country, func.count(), func.sum(base.c.endorsing)).group_by(
        base.c.country
    )
    by_sector = (
        sa_select(col(CompanySector.sector), func.count(), func.sum(base.c.endorsing))
        .join(base, base.c.company_id == CompanySector.company_id)
        .group_by(col(CompanySector.sector))
    )
    return _groups(session, by_country), _groups(session, by_sector)


def _groups(session: Session, statement: AnySelect) -> list[GroupRow]:
    rows = [(key, int(n), int(e or 0)) for key, n, e in session.execute(statement)]
    return sorted(rows, key=lambda row: (-row[1], row[0] or ""))
