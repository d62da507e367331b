"""The dashboard statistics answered before routing (`app/http/stored_answers.py`): the models
the routes return (`app/stats/router.py`), made from the same read models (the counters, the
published statuses and their counts the writes keep) by the same functions
(`app/stats/queries.py`), their statements compiled once for the row reader. Measured at
100,000 companies, keyed: through routing each cost 2.5 to 15 ms, of which routing, dependency
solving and the worker thread were 2.5. A test compares every answer with the route's.

Taken: each statistic without parameters; coverage and compliance also with `limit` and
`offset`. A `version=`, a cursor or anything else goes to the route, as does a registry with no
framework version yet (its 404).
"""

from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import bindparam, func
from sqlalchemy import select as sa_select
from sqlmodel import col

from app.core.links import Located, page_links
from app.core.pagination import PageParams, canonical_query
from app.core.rows import as_text
from app.core.types import as_date, as_utc, utcnow
from app.cycles.models import CycleCompany, ReportingCycle
from app.cycles.service import reporting_status
from app.endorsements.queries import ENDORSING_NOW
from app.endorsements.schemas import ENDORSEMENT_NOTICE
from app.engines.base import RowReader
from app.principles.models import Principle
from app.stats import counters, queries
from app.stats.schemas import (
    BreakdownRead,
    CompliancePage,
    CoveragePage,
    CoverageRowRead,
    CycleComplianceRead,
    EndorsementsOverTimeRead,
    GroupCountRead,
    PrincipleAdoptionRead,
)
from app.updates.latest import statuses_statement
from app.updates.models import ImplementationUpdate, UpdateState

PAGED = frozenset({"coverage", "compliance"})
NAMES = frozenset({"endorsements-over-time", "adoption", "breakdown"}) | PAGED

# For read_moment, with the clock: the current framework version (the latest published, as
# `resolve_version` orders them) and how many companies endorse now (coverage's total).
_CURRENT = "SELECT {} FROM framework_version ORDER BY published_on DESC, id DESC LIMIT 1"
_ENDORSING_SQL, ENDORSING_PARAMS = as_text(ENDORSING_NOW)
MOMENT = f"({_CURRENT.format('id')}), ({_CURRENT.format('code')}), ({_ENDORSING_SQL})"
_PRINCIPLES = as_text(
    sa_select(col(Principle.id), col(Principle.code), col(Principle.title))
    .where(col(Principle.framework_version_id) == bindparam("version_id"))
    .order_by(col(Principle.position))
)
_OVER_TIME = as_text(counters.counters_statement(queries.OVER_TIME_COUNTERS))
_BREAKDOWN = as_text(counters.counters_statement(queries.BREAKDOWN_COUNTERS))
_ADOPTION = as_text(queries.ADOPTION)
_CYCLES = as_text(
    sa_select(
        col(ReportingCycle.id),
        col(ReportingCycle.title),
        col(ReportingCycle.due_on),
        col(ReportingCycle.government),
    ).order_by(col(ReportingCycle.due_on).desc(), col(ReportingCycle.id).desc())
)
# Per cycle and asked company: its first submission for the cycle, if any.
_FIRST_SUBMISSIONS = as_text(
    sa_select(col(CycleCompany.cycle_id), func.min(col(ImplementationUpdate.submitted_at)))
    .select_from(CycleCompany)
    .outerjoin(
        ImplementationUpdate,
        (col(ImplementationUpdate.reporting_cycle_id) == CycleCompany.cycle_id)
        & (col(ImplementationUpdate.company_id) == CycleCompany.company_id)
        & (col(ImplementationUpdate.state) == UpdateState.SUBMITTED),
    )
    .group_by(col(CycleCompany.cycle_id), col(CycleCompany.company_id))
)
_ADOPTION_LIST = TypeAdapter(list[PrincipleAdoptionRead])


@dataclass(frozen=True)
class StatisticRequest:
    name: str
    page: PageParams  # the page asked (coverage and compliance; the others have none)


def parse(name: str, query_string: bytes) -> StatisticRequest | None:
    """The request, when it is one made here (see the module's docstring)."""
    if name not in NAMES or (query_string and name not in PAGED):
        return None
    found = canonical_query(query_string, {})
    if found is None or "after" in found[0]:
        return None
    return StatisticRequest(name, found[1])


async def _read(rows: RowReader, statement: tuple[str, dict[str, Any]], **params: Any) -> list[Any]:
    sql, defaults = statement
    return await rows.rows(sql, defaults | params)


async def answer(
    rows: RowReader,
    wanted: StatisticRequest,
    moment: tuple[Any, ...],
    url: Located,
    *,
    restricted: bool,
) -> tuple[bytes, tuple[str | None, str | None]] | None:
    """The statistic's JSON and its next and previous pages (None: the route answers), from
    what `MOMENT` read with the clock."""
    none: tuple[str | None, str | None] = (None, None)
    if wanted.name == "endorsements-over-time":
        found = counters.by_counter(queries.OVER_TIME_COUNTERS, await _read(rows, _OVER_TIME))
        months = queries.months_of(found, utcnow().date())
        made = EndorsementsOverTimeRead.of(ENDORSEMENT_NOTICE, months)
        return made.model_dump_json().encode(), none
    if wanted.name == "breakdown":
        found = counters.by_counter(queries.BREAKDOWN_COUNTERS, await _read(rows, _BREAKDOWN))
        by_country, by_sector = queries.breakdown_of(found)
        shown = BreakdownRead(
            by_country=[GroupCountRead.of(row) for row in by_country],
            by_sector=[GroupCountRead.of(row) for row in by_sector],
        )
        return shown.model_dump_json().encode(), none
    if wanted.name == "compliance":
        return await _compliance(rows, wanted.page, url)
    version_id, code, endorsing = moment
    if version_id is None or code is None:
        return None  # no framework version yet: the route's 404
    principles = await _read(rows, _PRINCIPLES, version_id=version_id)
    if wanted.name == "adoption":
        counts = queries.adoption_of(await _read(rows, _ADOPTION, version_id=version_id))
        adopted = [PrincipleAdoptionRead.of(c, t, counts[i]) for i, c, t in principles]
        return _ADOPTION_LIST.dump_json(adopted), none
    return await _coverage(
        rows, wanted.page, (version_id, code), principles, int(endorsing or 0), url, restricted
    )


async def _compliance(
    rows: RowReader, page: PageParams, url: Located
) -> tuple[bytes, tuple[str | None, str | None]]:
    today = utcnow().date()
    statuses: dict[int, Counter[Any]] = {}
    for cycle_id, first_at in await _read(rows, _FIRST_SUBMISSIONS):
        cycle = statuses.setdefault(cycle_id, Counter())
        cycle[as_utc(first_at)] += 1  # counted by first submission, its status below
    found = []
    for cycle_id, title, due_on, government in await _read(rows, _CYCLES):
        due = as_date(due_on)
        firsts = statuses.get(cycle_id, Counter())
        counts: Counter[Any] = Counter()
        for first_at, companies in firsts.items():
            counts[reporting_status(first_at, due, today)] += companies
        found.append(queries.Compliance(cycle_id, title, due, firsts.total(), counts, government))
    shown = found[page.offset : page.offset + page.limit]
    links = page_links(url, page, len(found), None)
    made = CompliancePage(
        items=[CycleComplianceRead.of(cycle) for cycle in shown],
        total=len(found),
        limit=page.limit,
        offset=page.offset,
        next=links[0],
        prev=links[1],
    )
    return made.model_dump_json().encode(), links


_COVERED = as_text(queries.COVERED)


@cache
def _statuses(size: int, restricted: bool) -> tuple[str, dict[str, Any]]:
    """The latest statuses of a page of `size` companies, compiled once per page size. Two
    statements (the page's ids, then their statuses by key) took 0.27 ms on SQLite at 100,000
    companies where one joining them took 0.40."""
    among: list[Any] = [bindparam(f"id{n}") for n in range(size)]
    return as_text(statuses_statement(among, bindparam("version_id"), restricted=restricted))


async def _coverage(
    rows: RowReader,
    page: PageParams,
    version: tuple[int, str],
    principles: list[Any],
    total: int,
    url: Located,
    restricted: bool,
) -> tuple[bytes, tuple[str | None, str | None]]:
    version_id, code = version
    companies = await _read(rows, _COVERED, limit=page.limit, offset=page.offset)
    found: dict[int, dict[str, str]] = {company_id: {} for company_id, _ in companies}
    if companies:
        ids = {f"id{n}": company_id for n, (company_id, _) in enumerate(companies)}
        code_of = {principle_id: shown for principle_id, shown, _ in principles}
        statement = _statuses(len(companies), restricted)
        for company_id, principle_id, status in await _read(
            rows, statement, version_id=version_id, **ids
        ):
            found[company_id][code_of[principle_id]] = status
    codes = [shown for _, shown, _ in principles]
    items = [CoverageRowRead.of(row) for row in queries.coverage_rows(companies, codes, found)]
    links = page_links(url, page, total, None)
    made = CoveragePage(
        framework_version=code,
        principles=codes,
        items=items,
        total=total,
        limit=page.limit,
        offset=page.offset,
        next=links[0],
        prev=links[1],
    )
    return made.model_dump_json().encode(), links
