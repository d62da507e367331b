"""Dashboard statistics, each a handful of aggregate queries."""

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from app.companies.models import Company
from app.core.pagination import PageParams
from app.core.types import utcnow
from app.cycles.models import ReportingCycle
from app.cycles.schemas import ReportingStatus
from app.cycles.service import company_rows
from app.endorsements.models import CompanyStatus, EndorsementStatus
from app.endorsements.queries import endorsing_count
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


OVER_TIME_COUNTERS = (
    counters.POSSIBLY_STARTED,
    counters.CERTAINLY_STARTED,
    counters.POSSIBLY_STOPPED,
    counters.CERTAINLY_STOPPED,
)


def endorsements_over_time(session: Session) -> list[Month]:
    """Per month end, from the first month any endorsement possibly began to this one: the
    companies certainly endorsing, and those possibly endorsing (dates known only to the month
    or year leave both readings open). From the counters the writes keep."""
    return months_of(counters.counters(session, OVER_TIME_COUNTERS), utcnow().date())


def months_of(counted: dict[str, dict[str, int]], today: date) -> list[Month]:
    """The months from the OVER_TIME_COUNTERS' amounts per month (key YYYY-MM), up to today's."""
    found = {name: Counter(by_month) for name, by_month in counted.items()}
    months = sorted(set().union(*found.values()))
    if not months:
        return []
    result, certainly, possibly = [], 0, 0
    for month in _months(date.fromisoformat(f"{months[0]}-01"), today):
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


# A page of the companies endorsing now (id, slug), in the status index's order (by name).
COVERED = (
    sa_select(col(CompanyStatus.company_id), col(Company.slug))
    .join(Company, col(Company.id) == CompanyStatus.company_id)
    .where(col(CompanyStatus.status) == EndorsementStatus.ENDORSED.value)
    .order_by(col(CompanyStatus.sort_name), col(CompanyStatus.company_id))
    .limit(bindparam("limit"))
    .offset(bindparam("offset"))
)


def coverage(
    session: Session, version: FrameworkVersion, page: PageParams, *, restricted: bool
) -> tuple[list[tuple[str, dict[str, str]]], int, list[str]]:
    """Every company endorsing now x every principle of the version: its latest status, or
    `not_reported`; the total and the version's principle codes. A page is a range of the
    status index (endorsing, by name); `restricted` also counts entries only governments and
    administrators may see."""
    total = endorsing_count(session)  # the counter, not a count of the index (5 ms at 100k)
    companies = session.execute(COVERED, {"limit": page.limit, "offset": page.offset}).all()
    code_of = {p.id or 0: p.code for p in principles_of(session, version)}
    ids = [company_id for company_id, _ in companies]
    found = statuses_of(session, ids, version.id or 0, code_of, restricted=restricted)
    codes = list(code_of.values())  # in the principles' order
    return coverage_rows(companies, codes, found), total, codes


def coverage_rows(
    companies: Sequence[tuple[int, str]], codes: list[str], found: dict[int, dict[str, str]]
) -> list[tuple[str, dict[str, str]]]:
    """Per company of the page (id, slug): every principle code -> its status or not_reported."""
    return [
        (slug, {code: found[company_id].get(code, NOT_REPORTED) for code in codes})
        for company_id, slug in companies
    ]


# Per principle of a version and status: how many companies' latest published status it is.
ADOPTION = (
    sa_select(
        col(PublishedStatusCount.principle_id),
        col(PublishedStatusCount.status),
        col(PublishedStatusCount.companies),
    )
    .join(Principle, col(Principle.id) == PublishedStatusCount.principle_id)
    .where(col(Principle.framework_version_id) == bindparam("version_id"))
)


def adoption(session: Session, version: FrameworkVersion) -> dict[int, Counter[str]]:
    """Per principle id: how many companies' latest published status is each status (kept as
    counts by every submission)."""
    return adoption_of(session.execute(ADOPTION, {"version_id": version.id}))


def adoption_of(rows: Iterable[Any]) -> dict[int, Counter[str]]:
    """ADOPTION's rows as principle id -> status -> companies."""
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for principle_id, status, companies in rows:
        if companies:
            counts[principle_id][status] = companies
    return counts


@dataclass(frozen=True)
class Compliance:
    cycle_id: int
    title: str
    due_on: date
    asked: int
    counts: Counter[ReportingStatus]
    government: str | None  # who opened the cycle (None: an administrator)


def compliance(session: Session) -> list[Compliance]:
    """Per reporting cycle (there are few): how many were asked, and how many are in each
    reporting status."""
    cycles = session.exec(
        select(ReportingCycle).order_by(
            col(ReportingCycle.due_on).desc(), col(ReportingCycle.id).desc()
        )
    )
    result = []
    for cycle in cycles:
        rows = company_rows(session, cycle)
        counts = Counter(row.status for row in rows)
        result.append(
            Compliance(
                cycle.id or 0, cycle.title, cycle.due_on, len(rows), counts, cycle.government
            )
        )
    return result


GroupRow = tuple[str | None, int, int]


BREAKDOWN_COUNTERS = ("country", COUNTRY_ENDORSING, "sector", "sector_endorsing")


def breakdown(session: Session) -> tuple[list[GroupRow], list[GroupRow]]:
    """Companies and endorsing companies by headquarters country and by sector (counters)."""
    return breakdown_of(counters.counters(session, BREAKDOWN_COUNTERS))


def breakdown_of(found: dict[str, dict[str, int]]) -> tuple[list[GroupRow], list[GroupRow]]:
    """By country and by sector, largest first, from the BREAKDOWN_COUNTERS' amounts."""

    def groups(members: dict[str, int], endorsing: dict[str, int]) -> list[GroupRow]:
        rows = [(key or None, n, endorsing.get(key, 0)) for key, n in members.items()]
        return sorted(rows, key=lambda row: (-row[1], row[0] or ""))

    return (
        groups(found["country"], found[COUNTRY_ENDORSING]),
        groups(found["sector"], found["sector_endorsing"]),
    )
