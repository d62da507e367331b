"""HTTP routes for companies (public reads)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status
from pydantic import AfterValidator

from app.companies import service
from app.companies.models import Sector
from app.companies.schemas import (
    CompanyChange,
    CompanyCreate,
    CompanyDetail,
    CompanyPage,
    CompanyPublic,
    CompanyRevision,
    PrincipleStatusPublic,
)
from app.core.concurrency import IfMatchHeader, resource_etag
from app.core.countries import COUNTRY_PATTERN, country_code
from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.core.pagination import PageParams, page_fields, page_params
from app.core.routing import API_PREFIX, company_url
from app.core.schemas import IsoDate
from app.endorsements import service as endorsements
from app.endorsements.models import EndorsementStatus
from app.endorsements.schemas import (
    ENDORSEMENT_NOTICE,
    EndorsementEventCreate,
    EndorsementEventPublic,
)
from app.keys.dependencies import AdminDep
from app.updates import queries as updates

router = APIRouter(prefix=API_PREFIX, tags=["companies"], responses=problem_responses(422))

CompanySlug = Annotated[
    str,
    Path(
        title="Company slug",
        description="Stable identifier such as meta.",
        min_length=1,
        max_length=80,
        pattern=r"^[a-z0-9][a-z0-9-]*$",
    ),
]


def company_filters(
    status: Annotated[
        EndorsementStatus | None,
        Query(title="Endorsement status", description="Current status, derived from events."),
    ] = None,
    country: Annotated[
        str | None,
        Query(
            title="Country",
            description="Headquarters country, ISO 3166-1 alpha-2 (e.g. US).",
            min_length=2,
            max_length=2,
            pattern=COUNTRY_PATTERN,
        ),
        AfterValidator(country_code),  # after Query, or FastAPI drops its constraints
    ] = None,
    sector: Annotated[
        Sector | None, Query(title="Sector", description="Only companies working in this sector.")
    ] = None,
    q: Annotated[
        str | None,
        Query(
            title="Name search",
            description="Case-insensitive text in the current or a former name.",
            min_length=1,
            max_length=100,
        ),
    ] = None,
    endorsed_after: Annotated[
        IsoDate | None,
        Query(
            title="Endorsed on or after",
            description="Endorsement date on or after this day (a month or year counts from "
            "its first day).",
        ),
    ] = None,
    endorsed_before: Annotated[
        IsoDate | None,
        Query(
            title="Endorsed on or before",
            description="Endorsement date on or before this day (a month or year counts from "
            "its first day).",
        ),
    ] = None,
) -> service.CompanyFilters:
    return service.CompanyFilters(
        status=status,
        country=country,
        sector=sector,
        q=q,
        endorsed_after=endorsed_after,
        endorsed_before=endorsed_before,
    )


@router.get(
    "/companies",
    summary="Companies with their endorsement status",
    description=ENDORSEMENT_NOTICE,
)
def list_companies(
    request: Request,
    session: SessionDep,
    filters: Annotated[service.CompanyFilters, Depends(company_filters)],
    page: Annotated[PageParams, Depends(page_params)],
    sort: Annotated[
        service.CompanySort,
        Query(title="Sort order", description="Field to sort by; a leading - sorts descending."),
    ] = service.CompanySort.NAME,
) -> CompanyPage:
    rows, total = service.list_companies(session, filters, sort, page)
    items = [CompanyPublic.of(row) for row in rows]
    return CompanyPage(notice=ENDORSEMENT_NOTICE, **page_fields(request, page, items, total))


@router.get(
    "/companies/{slug}",
    summary="One company: names, endorsement with its history, latest reported status",
    description=ENDORSEMENT_NOTICE,
    responses=problem_responses(404),
)
def get_company(
    request: Request, session: SessionDep, slug: CompanySlug, response: Response
) -> CompanyDetail:
    return _detail(request, session, slug, response)


# --- Administrator curation ---------------------------------------------------------------

WRITE_ERRORS = problem_responses(401, 403, 404, 409, 412, 428)


def _detail(request: Request, session: SessionDep, slug: str, response: Response) -> CompanyDetail:
    row = service.get_company(session, slug)
    company_id = row.company.id or 0
    response.headers["ETag"] = resource_etag(request, service.company_etag(row.company))
    return CompanyDetail(
        **CompanyPublic.of(row).model_dump(),
        notice=ENDORSEMENT_NOTICE,
        endorsement_history=[
            EndorsementEventPublic.of(e) for e in endorsements.company_history(session, company_id)
        ],
        implementation=[
            PrincipleStatusPublic.of(s) for s in updates.latest_public_status(session, company_id)
        ],
        created_at=row.company.created_at,
        updated_at=row.company.updated_at,
    )


@router.post(
    "/companies",
    status_code=status.HTTP_201_CREATED,
    summary="Add a company (administrators)",
    responses=WRITE_ERRORS,
)
def create_company(
    request: Request,
    body: CompanyCreate,
    session: SessionDep,
    admin: AdminDep,
    response: Response,
) -> CompanyDetail:
    company = service.create_company(session, body.model_dump(exclude_unset=True), admin.actor)
    response.headers["Location"] = company_url(company.slug)
    return _detail(request, session, company.slug, response)


@router.patch(
    "/companies/{slug}",
    summary="Change a company (administrators; If-Match required)",
    responses=WRITE_ERRORS,
)
def change_company(
    request: Request,
    slug: CompanySlug,
    body: CompanyChange,
    session: SessionDep,
    admin: AdminDep,
    response: Response,
    if_match: IfMatchHeader = None,
) -> CompanyDetail:
    changes = body.model_dump(exclude_unset=True)
    service.change_company(session, slug, changes, if_match, admin.actor)
    return _detail(request, session, slug, response)


@router.get(
    "/companies/{slug}/history",
    summary="Every recorded change to a company and its endorsement, oldest first",
    responses=problem_responses(404),
)
def company_history(session: SessionDep, slug: CompanySlug) -> list[CompanyRevision]:
    return [
        CompanyRevision(at=r.at, actor=r.actor, action=r.action, state=r.after)
        for r in service.company_history(session, slug)
    ]


@router.post(
    "/companies/{slug}/endorsement-events",
    status_code=status.HTTP_201_CREATED,
    summary="Record an endorsement event (administrators); history is never rewritten",
    responses=WRITE_ERRORS,
)
def record_endorsement_event(
    slug: CompanySlug, body: EndorsementEventCreate, session: SessionDep, admin: AdminDep
) -> EndorsementEventPublic:
    company = service.load_company(session, slug)
    new = endorsements.NewEvent(**body.model_dump())
    return EndorsementEventPublic.of(endorsements.record_event(session, company, new, admin.actor))
