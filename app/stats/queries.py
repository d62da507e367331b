"""Dashboard statistics, each a handful of aggregate queries."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from app.companies.models import Company
from app.core.pagination import PageParams
from app.core.types import utcnow
from app.cycles.models import ReportingCycle
from app.cycles.schemas import ReportingStatus
from app.cycles.service import company_rows
from app.endorsements.models import CompanyStatus, EndorsementStatus
from app.principles.models import FrameworkVersion, Principle
from app.stats import counters
from app.stats.models import COUNTRY_ENDORSING
from app.updates.latest import NOT_REPORTED, statuses_of
from app.updates.models import PublishedStatusCount


@dataclass(frozen=True)
class Month:
    month: str
    certainly_endorsing: int
    possibly_endorsing: int


def _months(first: date, last: date) -> list[str]:
    """YYYY-MM from first's month to last's, inclusive."""
    start, end = first.year * 12 + first.month - 1, last.year * 12 + last.month - 1
    return [f"{m // 12:04d}-{m % 12 + 1:02d}" for m in range(start, end + 1)]


def endorsements_over_time(session: Session) -> list[Month]:
    """Per month end, from the first month any endorsement possibly began to this one: the
    companies certainly endorsing, and those possibly endorsing (dates known only to the month
    or year leave both readings open). From the counters the writes keep."""
    names = (
        counters.POSSIBLY_STARTED,
        counters.CERTAINLY_STARTED,
        counters.POSSIBLY_STOPPED,
        counters.CERTAINLY_STOPPED,
    )
    found = {
        name: Counter(by_month) for name, by_month in counters.counters(session, names).items()
    }
    months = sorted(set().union(*found.values()))
    if not months:
        return []
    result, certainly, possibly = [], 0, 0
    for month in _months(date.fromisoformat(f"{months[0]}-01"), utcnow().date()):
        certainly += (
            found[counters.CERTAINLY_STARTED][month] - found[counters.CERTAINLY_STOPPED][month]
        )
        possibly += (
            found[counters.POSSIBLY_STARTED][month] - found[counters.POSSIBLY_STOPPED][month]
        )
        result.append(Month(month, certainly, possibly))
    return result


def principles_of(session: Session, version: FrameworkVersion) -> list[Principle]:
    statement = (
        select(Principle)
        .where(Principle.framework_version_id == version.id)
        .order_by(col(Principle.position))
    )
    return list(session.exec(statement))


def coverage(
    session: Session, version: FrameworkVersion, page: PageParams, *, restricted: bool
) -> tuple[list[tuple[str, dict[str, str]]], int]:
    """Every company endorsing now x every principle of the version: its latest status, or
    `not_reported`. A page is a range of the status index (endorsing, by name); `restricted`
    also counts entries only governments and administrators may see."""
    endorsing = col(CompanyStatus.status) == EndorsementStatus.ENDORSED.value
    total = session.execute(
        sa_select(func.count()).select_from(CompanyStatus).where(endorsing)
    ).scalar_one()
    companies = session.execute(
        sa_select(col(CompanyStatus.company_id), col(Company.slug))
        .join(Company, col(Company.id) == CompanyStatus.company_id)
        .where(endorsing)
        .order_by(col(CompanyStatus.sort_name), col(CompanyStatus.company_id))
        .limit(page.limit)
        .offset(page.offset)
    ).all()
    codes = [principle.code for principle in principles_of(session, version)]
    found = statuses_of(
        session, [company_id for company_id, _ in companies], version.id or 0, restricted=restricted
    )
    rows = [
        (slug, {code: found[company_id].get(code, NOT_REPORTED) for code in codes})
        for company_id, slug in companies
    ]
    return rows, total


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


def compliance(session: Session) -> list[Compliance]:
    """Per reporting cycle (there are few): how many were asked, and how many are in each
    reporting status."""
    cycles = session.exec(select(ReportingCycle).order_by(col(ReportingCycle.due_on).desc()))
    result = []
    for cycle in cycles:
        rows = company_rows(session, cycle)
        counts = Counter(row.status for row in rows)
        result.append(Compliance(cycle, len(rows), counts))
    return result


GroupRow = tuple[str | None, int, int]


def breakdown(session: Session) -> tuple[list[GroupRow], list[GroupRow]]:
    """Companies and endorsing companies by headquarters country and by sector (counters)."""
    names = ("country", COUNTRY_ENDORSING, "sector", "sector_endorsing")
    found = counters.counters(session, names)

    def groups(members: dict[str, int], endorsing: dict[str, int]) -> list[GroupRow]:
        rows = [(key or None, n, endorsing.get(key, 0)) for key, n in members.items()]
        return sorted(rows, key=lambda row: (-row[1], row[0] or ""))

    return (
        groups(found["country"], found[COUNTRY_ENDORSING]),
        groups(found["sector"], found["sector_endorsing"]),
    )
