"""HTTP routes for companies (public reads)."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import AfterValidator

from app.companies import service
from app.companies.models import Sector
from app.companies.schemas import CompanyDetail, CompanyPage, CompanyPublic, PrincipleStatusPublic
from app.core.countries import country_code
from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.core.pagination import PageParams, page_fields, page_params
from app.core.routing import API_PREFIX
from app.endorsements import service as endorsements
from app.endorsements.models import EndorsementStatus
from app.endorsements.schemas import ENDORSEMENT_NOTICE, EndorsementEventPublic
from app.updates import service as updates

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
        AfterValidator(country_code),
        Query(
            title="Country",
            description="Headquarters country, ISO 3166-1 alpha-2 (e.g. US).",
            min_length=2,
            max_length=2,
        ),
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
        date | None,
        Query(
            title="Endorsed on or after",
            description="Endorsement date on or after this day (a month or year counts from "
            "its first day).",
        ),
    ] = None,
    endorsed_before: Annotated[
        date | None,
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
def get_company(session: SessionDep, slug: CompanySlug) -> CompanyDetail:
    row = service.get_company(session, slug)
    company_id = row.company.id or 0
    history = endorsements.company_history(session, company_id)
    implementation = updates.latest_public_status(session, company_id)
    return CompanyDetail(
        **CompanyPublic.of(row).model_dump(),
        notice=ENDORSEMENT_NOTICE,
        endorsement_history=[EndorsementEventPublic.of(event) for event in history],
        implementation=[PrincipleStatusPublic.of(status) for status in implementation],
        created_at=row.company.created_at,
        updated_at=row.company.updated_at,
    )
