"""Queries over companies. Each runs a fixed number of statements, whatever the page size."""

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
from app.companies.models import Company, CompanyFormerName, CompanySector, Sector
from app.core.concurrency import require_if_match, version_tag
from app.core.db import AnySelect, transactional
from app.core.errors import ConflictError, NotFoundError
from app.core.pagination import PageParams
from app.core.routing import company_url
from app.core.types import utcnow
from app.endorsements.models import EndorsementEvent, EndorsementStatus
from app.endorsements.service import StatusJoin, with_status


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


def _conditions(filters: CompanyFilters, join: StatusJoin) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.slug is not None:
        conditions.append(col(Company.slug) == filters.slug)
    if filters.status is not None:
        conditions.append(join.status_is(filters.status))
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
    if filters.endorsed_after is not None:
        conditions.append(col(join.endorsed.occurred_on) >= filters.endorsed_after)
    if filters.endorsed_before is not None:
        conditions.append(col(join.endorsed.occurred_on) <= filters.endorsed_before)
    return conditions


def _order(sort: CompanySort, join: StatusJoin) -> list[Any]:
    keys: dict[CompanySort, Any] = {
        CompanySort.NAME: func.lower(Company.name).asc(),
        CompanySort.NAME_DESC: func.lower(Company.name).desc(),
        CompanySort.ENDORSED_ON: col(join.endorsed.occurred_on).asc().nulls_last(),
        CompanySort.ENDORSED_ON_DESC: col(join.endorsed.occurred_on).desc().nulls_last(),
        CompanySort.COUNTRY: col(Company.country).asc().nulls_last(),
        CompanySort.COUNTRY_DESC: col(Company.country).desc().nulls_last(),
    }
    return [keys[sort], col(Company.id).asc()]  # id breaks ties so pages never overlap


def _company_rows(filters: CompanyFilters) -> tuple[AnySelect, StatusJoin]:
    statement, join = with_status(sa_select(Company))
    return statement.where(and_(True, *_conditions(filters, join))), join


def list_companies(
    session: Session, filters: CompanyFilters, sort: CompanySort, page: PageParams
) -> tuple[list[CompanyRow], int]:
    """A page of companies with their status; four statements in all."""
    statement, join = _company_rows(filters)
    total = session.execute(select(func.count()).select_from(statement.subquery())).scalar_one()
    page_statement = (
        statement.options(selectinload(Company.former_names), selectinload(Company.sectors))  # type: ignore[arg-type]
        .order_by(*_order(sort, join))
        .limit(page.limit)
        .offset(page.offset)
    )
    return [CompanyRow(*row) for row in session.execute(page_statement)], total


def get_company(session: Session, slug: str) -> CompanyRow:
    statement, _ = _company_rows(CompanyFilters(slug=slug))
    statement = statement.options(
        selectinload(Company.former_names),  # type: ignore[arg-type]
        selectinload(Company.sectors),  # type: ignore[arg-type]
    )
    row = session.execute(statement).first()
    if row is None:
        raise NotFoundError(f"No company with slug {slug!r}.")
    return CompanyRow(*row)


# --- Administrator curation ---------------------------------------------------------------


def snapshot(company: Company) -> dict[str, Any]:
    """The company's curated state, as kept in its history."""
    return {
        "slug": company.slug,
        "name": company.name,
        "country": company.country,
        "website": company.website,
        "sectors": sorted(s.sector for s in company.sectors),
        "former_names": [
            {"name": f.name, "used_until": f.used_until} for f in company.former_names
        ],
    }


def load_company(session: Session, slug: str) -> Company:
    """The company with its names and sectors loaded, for changing it."""
    statement = (
        select(Company)
        .where(Company.slug == slug)
        .options(
            selectinload(Company.former_names),  # type: ignore[arg-type]
            selectinload(Company.sectors),  # type: ignore[arg-type]
        )
    )
    company = session.exec(statement).first()
    if company is None:
        raise NotFoundError(f"No company with slug {slug!r}.")
    return company


def _apply(session: Session, company: Company, changes: dict[str, Any]) -> None:
    for field in ("name", "country", "website"):
        if field in changes:
            setattr(company, field, changes[field])
    company.updated_at = utcnow()  # also bumps the row version, so the ETag changes
    if "sectors" in changes:
        for sector in company.sectors:
            session.delete(sector)
        company.sectors = [
            CompanySector(company_id=company.id or 0, sector=s) for s in changes["sectors"] or []
        ]
    if "former_names" in changes:
        for former in company.former_names:
            session.delete(former)
        session.flush()
        company.former_names = [
            CompanyFormerName(company_id=company.id or 0, **f)
            for f in changes["former_names"] or []
        ]


@transactional
def create_company(session: Session, fields: dict[str, Any], actor: str) -> Company:
    if session.exec(select(Company.id).where(Company.slug == fields["slug"])).first():
        raise ConflictError(f"A company with slug {fields['slug']!r} exists already.")
    company = Company(slug=fields["slug"], name=fields["name"])
    company.sectors, company.former_names = [], []
    session.add(company)
    session.flush()  # the id the names and sectors point at
    _apply(session, company, fields)
    session.flush()
    _record(session, actor, "company.created", company, before=None)
    return company


@transactional
def change_company(
    session: Session, slug: str, changes: dict[str, Any], if_match: str | None, actor: str
) -> Company:
    company = load_company(session, slug)
    require_if_match(if_match, company_etag(company))
    before = snapshot(company)
    _apply(session, company, changes)
    session.flush()  # raises StaleDataError (412) if another writer got there first
    _record(session, actor, "company.changed", company, before=before)
    return company


def _record(
    session: Session, actor: str, action: str, company: Company, before: dict[str, Any] | None
) -> None:
    audit.record(
        session,
        actor=actor,
        action=action,
        resource_type="company",
        resource_id=company.id or 0,
        url=company_url(company.slug),
        before=before,
        after=snapshot(company),
    )


def company_etag(company: Company) -> str:
    """The company's version, as If-Match compares it."""
    return version_tag("company", company.id, company.version)


def company_history(session: Session, slug: str) -> list[AuditRecord]:
    company = session.exec(select(Company).where(Company.slug == slug)).first()
    if company is None:
        raise NotFoundError(f"No company with slug {slug!r}.")
    return audit.history(session, "company", company.id or 0)
