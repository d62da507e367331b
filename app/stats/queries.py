"""Dashboard statistics, each a handful of aggregate queries."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from app.core.pagination import PageParams
from app.core.types import utcnow
from app.cycles.models import ReportingCycle
from app.cycles.schemas import ReportingStatus
from app.cycles.service import company_rows
from app.principles.models import FrameworkVersion, Principle
from app.stats import counters
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
    """Companies endorsing at the end of each month, from the first event's month to this one
    (from the counters the writes keep: a few hundred rows at most)."""
    found = counters.counters(session, ("started", "stopped"))
    started, stopped = Counter(found["started"]), Counter(found["stopped"])
    months = sorted(started.keys() | stopped.keys())
    if not months:
        return []
    first = date.fromisoformat(f"{months[0]}-01")
    result, endorsing = [], 0
    for month in _months(first, utcnow().date()):
        endorsing += started[month] - stopped[month]
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
    """Companies and endorsing companies by headquarters country and by sector (counters)."""
    names = ("country", "country_endorsing", "sector", "sector_endorsing")
    found = counters.counters(session, names)

    def groups(members: dict[str, int], endorsing: dict[str, int]) -> list[GroupRow]:
        rows = [(key or None, n, endorsing.get(key, 0)) for key, n in members.items()]
        return sorted(rows, key=lambda row: (-row[1], row[0] or ""))

    return (
        groups(found["country"], found["country_endorsing"]),
        groups(found["sector"], found["sector_endorsing"]),
    )
