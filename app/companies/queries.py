"""Reads of companies: filtered and sorted lists, one company's detail, its revisions. Each runs
a fixed number of statements, whatever the page size."""

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, or_
from sqlalchemy import select as sa_select
from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

from app.audit import service as audit
from app.audit.models import AuditRecord
from app.companies.models import Company, CompanyFormerName, CompanyItem, CompanySector, Sector
from app.companies.reports import CompanyReportRead, reports_of
from app.companies.schemas import CompanyDetailRead, PrincipleStatusRead
from app.core.dates import DateMatch, in_range
from app.core.db import AnySelect
from app.core.errors import InvalidRequestError, NotFoundError
from app.core.etags import Versioned, version_tag
from app.core.pagination import Cursor, PageParams, cursor_order, keyset_position, next_cursor
from app.endorsements.models import CompanyStatus, EndorsementEvent, EndorsementStatus
from app.endorsements.queries import StatusJoin, company_histories, with_status
from app.endorsements.schemas import EndorsementEventRead
from app.stats import counters
from app.stats.models import STATUS
from app.updates.latest import latest_public_statuses

_NAMES_AND_SECTORS = (
    selectinload(Company.former_names),  # type: ignore[arg-type]
    selectinload(Company.sectors),  # type: ignore[arg-type]
)


class CompanySort(StrEnum):
    NAME = "name"
    NAME_DESC = "-name"
    ENDORSED_ON = "endorsed_on"
    ENDORSED_ON_DESC = "-endorsed_on"
    COUNTRY = "country"
    COUNTRY_DESC = "-country"


@dataclass(frozen=True)
class CompanyFilters:
    status: EndorsementStatus | None = None
    country: str | None = None
    sector: Sector | None = None
    q: str | None = None
    endorsed_after: date | None = None
    endorsed_before: date | None = None
    date_match: DateMatch = DateMatch.CERTAIN
    slug: str | None = None


@dataclass(frozen=True)
class CompanyRow:
    company: Company
    latest: EndorsementEvent | None
    endorsed: EndorsementEvent | None


def _like_pattern(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _name_matches(q: str) -> ColumnElement[bool]:
    """Current name or any former name contains q, ignoring case."""
    pattern = _like_pattern(q)
    former = exists().where(
        col(CompanyFormerName.company_id) == Company.id,
        func.lower(CompanyFormerName.name).like(pattern, escape="\\"),
    )
    return or_(func.lower(Company.name).like(pattern, escape="\\"), former)


def _conditions(filters: CompanyFilters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.slug is not None:
        conditions.append(col(Company.slug) == filters.slug)
    if filters.status is not None:
        conditions.append(StatusJoin.status_is(filters.status))
    if filters.country is not None:
        conditions.append(col(Company.country) == filters.country)
    if filters.sector is not None:
        conditions.append(
            exists().where(
                col(CompanySector.company_id) == Company.id,
                col(CompanySector.sector) == filters.sector,
            )
        )
    if filters.q is not None:
        conditions.append(_name_matches(filters.q))
    conditions += in_range(
        col(CompanyStatus.endorsed_on),
        col(CompanyStatus.endorsed_latest),
        filters.endorsed_after,
        filters.endorsed_before,
        filters.date_match,
    )
    return conditions


@dataclass(frozen=True)
class SortKey:
    column: Any
    descending: bool
    nullable: bool  # its NULLs sort last, whichever the direction
    shape: re.Pattern[str] | None = None  # what a cursor's value must look like


ORDER_SHAPE = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-3] "
)  # earliest day, precision rank, name
SORT_KEYS = {
    CompanySort.NAME: SortKey(col(CompanyStatus.sort_name), descending=False, nullable=False),
    CompanySort.NAME_DESC: SortKey(col(CompanyStatus.sort_name), descending=True, nullable=False),
    # Earliest day the endorsement can mean, then precision (day, month, year), then name.
    CompanySort.ENDORSED_ON: SortKey(col(CompanyStatus.endorsed_order), False, True, ORDER_SHAPE),
    CompanySort.ENDORSED_ON_DESC: SortKey(
        col(CompanyStatus.endorsed_order), True, True, ORDER_SHAPE
    ),
    CompanySort.COUNTRY: SortKey(col(Company.country), descending=False, nullable=True),
    CompanySort.COUNTRY_DESC: SortKey(col(Company.country), descending=True, nullable=True),
}
# The id breaks ties, so pages never overlap; a descending sort is the exact reverse of its
# ascending one, so both read their index in one direction.
TIE = col(CompanyStatus.company_id)


def _order(sort: CompanySort) -> list[Any]:
    key = SORT_KEYS[sort]
    first = key.column.desc() if key.descending else key.column.asc()
    return [first.nulls_last() if key.nullable else first, TIE.desc() if key.descending else TIE]


def _after(sort: CompanySort, position: list[Any]) -> ColumnElement[bool]:
    """The rows after the cursor's, in the sort's order, written so an index range serves it."""
    key = SORT_KEYS[sort]
    value, last_id = position
    later = last_id > TIE if key.descending else last_id < TIE
    if value is None:  # inside the trailing NULLs
        return and_(key.column.is_(None), later)
    if key.shape is not None and not key.shape.match(value):
        raise InvalidRequestError("`after` is not a cursor of this sort; follow `next`.")
    beyond = key.column < value if key.descending else key.column > value
    reached = key.column <= value if key.descending else key.column >= value
    after = and_(reached, or_(beyond, later))
    return or_(after, key.column.is_(None)) if key.nullable else after


def _company_rows(filters: CompanyFilters) -> tuple[AnySelect, StatusJoin]:
    statement, join = with_status(sa_select(Company))
    return statement.where(and_(True, *_conditions(filters))), join


# Filters answered from the status rows alone: counting them needs no other table.
_STATUS_ONLY = {"status", "endorsed_after", "endorsed_before", "date_match"}


def _total(session: Session, filters: CompanyFilters) -> int:
    """How many companies match: for no filter or a status alone, the statistics' status
    counters (a row or a few, kept by the writes); else from the status rows' own index."""
    given = {name for name, value in vars(filters).items() if value is not None}
    if given - {"date_match"} <= {"status"}:
        by_status = counters.counters(session, [STATUS])[STATUS]
        wanted = [filters.status.value] if filters.status is not None else list(by_status)
        return sum(by_status.get(status, 0) for status in wanted)
    statement = sa_select(func.count()).select_from(CompanyStatus)
    if not given <= _STATUS_ONLY:
        statement = statement.join(Company, col(Company.id) == CompanyStatus.company_id)
    return int(session.execute(statement.where(and_(True, *_conditions(filters)))).scalar_one())


@dataclass(frozen=True)
class CompanyList:
    items: list[bytes]  # each company's JSON as a list item (its stored document's)
    total: int
    following: Cursor | None  # where the next page starts


def list_companies(
    session: Session, filters: CompanyFilters, sort: CompanySort, page: PageParams
) -> CompanyList:
    """A page of companies with their status, as their stored items; three statements: the
    total, the page's ids along the status index alone (an offset skips index entries, not
    companies and their documents), their items. By keyset when the page has a cursor, so a
    deep page costs what the first one does."""
    total = _total(session, filters)
    order = cursor_order(sort.value, filters)
    position = keyset_position(page, order)
    key = SORT_KEYS[sort].column
    ids = sa_select(key, TIE).select_from(CompanyStatus)
    given = {name for name, value in vars(filters).items() if value is not None}
    if not given <= _STATUS_ONLY or key.table is not CompanyStatus.__table__:  # type: ignore[attr-defined]
        ids = ids.join(Company, col(Company.id) == CompanyStatus.company_id)
    ids = ids.where(and_(True, *_conditions(filters))).order_by(*_order(sort)).limit(page.limit)
    ids = ids.offset(page.offset) if position is None else ids.where(_after(sort, position))
    shown = session.execute(ids).all()
    items = dict(
        session.execute(
            sa_select(col(CompanyItem.company_id), col(CompanyItem.item)).where(
                col(CompanyItem.company_id).in_([company_id for _, company_id in shown])
            )
        ).all()
    )
    following = next_cursor(page, order, tuple(shown[-1]) if shown else None)
    return CompanyList([bytes(items[company_id]) for _, company_id in shown], total, following)


def _not_found(slug: str) -> NotFoundError:
    return NotFoundError(f"No company with slug {slug!r}.")


def canonical_slug(session: Session, slug: str) -> str | None:
    """The current slug a requested one means: itself in any case, or the company's that once
    had a name of that slug (facebook -> meta); None when none."""
    lowered = slug.lower()
    if session.exec(select(Company.slug).where(Company.slug == lowered)).first():
        return lowered
    former = (
        select(Company.slug)
        .join(CompanyFormerName, col(CompanyFormerName.company_id) == Company.id)
        .where(func.lower(func.replace(CompanyFormerName.name, " ", "-")) == lowered)
        .order_by(col(Company.id))
    )
    return session.exec(former).first()


def company_by_slug(
    session: Session, slug: str, *, with_names: bool = False, lock: bool = False
) -> Company:
    """The company, or 404; `with_names` also loads its former names and sectors. `lock` holds
    its row to the transaction's end, so a write checking its history sees every earlier one."""
    statement = select(Company).where(Company.slug == slug)
    if with_names:
        statement = statement.options(*_NAMES_AND_SECTORS)
    if lock:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    if (company := session.exec(statement).first()) is None:
        raise _not_found(slug)
    return company


def company_etag(company: Company) -> str:
    """The company's version, as If-Match compares it."""
    return version_tag("company", company.id, company.version)


def company_detail(session: Session, slug: str) -> Versioned[CompanyDetailRead]:
    """Names, status, endorsement history and latest published status per principle."""
    found = company_details(session, col(Company.slug) == slug)
    if not found:
        raise _not_found(slug)
    return next(iter(found.values()))


def company_details(
    session: Session, which: ColumnElement[bool]
) -> dict[int, Versioned[CompanyDetailRead]]:
    """The detail of every company `which` selects, by id: five statements however many."""
    statement, _ = _company_rows(CompanyFilters())
    rows = [
        CompanyRow(*row)
        for row in session.execute(statement.where(which).options(*_NAMES_AND_SECTORS))
    ]
    ids = [row.company.id or 0 for row in rows]
    histories, reports = company_histories(session, ids), reports_of(session, ids)
    statuses = latest_public_statuses(session, ids)
    return {
        company_id: Versioned(
            CompanyDetailRead.of(
                row,
                history=[EndorsementEventRead.of(e) for e in histories[company_id]],
                implementation=[PrincipleStatusRead.of(s) for s in statuses[company_id]],
                reports=[CompanyReportRead.of(r) for r in reports[company_id]],
            ),
            company_etag(row.company),
        )
        for company_id, row in zip(ids, rows, strict=True)
    }


def company_revisions(session: Session, slug: str) -> list[AuditRecord]:
    """Every recorded change to the company and its endorsement, oldest first."""
    return audit.history(session, "company", company_by_slug(session, slug).id or 0)
