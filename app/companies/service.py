"""Administrators' curation of companies: every change is one transaction, recorded in the
audit trail, and answered with the company as read inside that transaction."""

from typing import Any

from sqlmodel import Session, select

from app.audit import service as audit
from app.companies import documents
from app.companies.models import Company, CompanyFormerName, CompanyReport, CompanySector
from app.companies.queries import company_by_slug, company_detail, company_etag
from app.companies.reports import CompanyReportCreate, CompanyReportRead
from app.companies.schemas import (
    CompanyDetailRead,
    FormerNameRead,
)
from app.core.db import transactional
from app.core.errors import ConflictError
from app.core.etags import Versioned, require_if_match
from app.core.types import utcnow
from app.core.urls import company_url
from app.endorsements import status


def snapshot(company: Company) -> dict[str, Any]:
    """The company's curated state, as kept in its history."""
    return {
        "slug": company.slug,
        "name": company.name,
        "country": company.country,
        "country_note": company.country_note,
        "website": company.website,
        "sectors": sorted(s.sector for s in company.sectors),
        "former_names": [
            FormerNameRead.of(f).model_dump(mode="json") for f in company.former_names
        ],
        # As the detail shows them, and only once one is recorded: the states logged before
        # sources existed still match what is served.
        **(
            {"sources": {"country": company.country_source_url,
                         "sectors": company.sectors_source_url}}
            if company.country_source_url or company.sectors_source_url
            else {}
        ),
    }  # fmt: skip


SCALARS = (
    "name", "country", "country_note", "website", "country_source_url", "sectors_source_url"
)  # fmt: skip


def _apply(session: Session, company: Company, changes: dict[str, Any]) -> None:
    for field in SCALARS:
        if field in changes:
            setattr(company, field, changes[field])
    company.updated_at = utcnow()  # also bumps the row version, so the ETag changes
    _apply_names_and_sectors(session, company, changes)


def _apply_names_and_sectors(session: Session, company: Company, changes: dict[str, Any]) -> None:
    """Rows of their own: replacing them leaves the company row (and its version) alone."""
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
def create_company(
    session: Session, fields: dict[str, Any], actor: str
) -> Versioned[CompanyDetailRead]:
    if session.exec(select(Company.id).where(Company.slug == fields["slug"])).first():
        raise ConflictError(f"A company with slug {fields['slug']!r} exists already.")
    scalars = {field: fields[field] for field in SCALARS[1:] if field in fields}
    company = Company(slug=fields["slug"], name=fields["name"], **scalars)
    company.sectors, company.former_names = [], []
    session.add(company)
    session.flush()  # the id the names and sectors point at; the row is written once (v1)
    _apply_names_and_sectors(session, company, fields)
    session.flush()
    status.refresh(session, company.id or 0)
    record_company_created(session, actor, company.slug)
    return company_detail(session, company.slug)


@transactional
def change_company(
    session: Session, slug: str, changes: dict[str, Any], if_match: str | None, actor: str
) -> Versioned[CompanyDetailRead]:
    company = company_by_slug(session, slug, with_names=True)
    require_if_match(if_match, company_etag(company))
    before = snapshot(company)
    _apply(session, company, changes)
    session.flush()  # raises StaleDataError (412) if another writer got there first
    status.refresh(session, company.id or 0)  # its name sorts the lists
    _record(session, actor, "company.changed", company, before=before)
    return company_detail(session, slug)


def record_company_created(
    session: Session, actor: str, slug: str, request_id: str | None = None
) -> None:
    """The record of a new company (also what the seed writes for the companies it adds)."""
    company = company_by_slug(session, slug, with_names=True)
    _record(session, actor, "company.created", company, before=None, request_id=request_id)


def record_company_changed(
    session: Session, actor: str, company: Company, before: dict[str, Any], request_id: str
) -> None:
    """The record of a change made outside a request (the seed filling what it now knows)."""
    _record(session, actor, "company.changed", company, before=before, request_id=request_id)


def _record(
    session: Session,
    actor: str,
    action: str,
    company: Company,
    before: dict[str, Any] | None,
    request_id: str | None = None,
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
        request_id=request_id,
    )


@transactional
def link_report(
    session: Session, slug: str, body: CompanyReportCreate, actor: str
) -> CompanyReportRead:
    """Add a link to a report the company publishes; audited and logged as a public change of
    the company, whose documents are rendered again with it."""
    company = company_by_slug(session, slug, lock=True)
    day, precision = body.stated()
    report = CompanyReport(
        company_id=company.id or 0, title=body.title, publisher=body.publisher,
        published_on=day, published_precision=precision.value, url=body.url,
        recorded_by=actor,
    )  # fmt: skip
    session.add(report)
    session.flush()
    documents.mark(session, company.id or 0)
    shown = CompanyReportRead.of(report)
    after: dict[str, Any] = shown.model_dump(mode="json")
    audit.record(
        session, actor=actor, action="company.report_linked", resource_type="company",
        resource_id=company.id or 0, url=company_url(company.slug), before=None, after=after,
    )  # fmt: skip
    return shown
