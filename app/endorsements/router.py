"""HTTP routes for endorsement events across companies (public reads)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlmodel import col

from app.companies.models import Company
from app.core.dates import DateMatch
from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.core.lookups import require_known
from app.core.pagination import Page, PageParams, page_fields, page_params
from app.core.parameters import DateMatchQuery
from app.core.schemas import IsoDate
from app.core.urls import API_PREFIX
from app.endorsements import queries
from app.endorsements.models import EndorsementEventKind, EndorsementStatus
from app.endorsements.schemas import ENDORSEMENT_NOTICE, EndorsementEventRead

router = APIRouter(prefix=API_PREFIX, tags=["endorsements"], responses=problem_responses(422))


class EndorsementEventPage(Page[EndorsementEventRead]):
    notice: str


def event_filters(
    session: SessionDep,
    kind: Annotated[
        EndorsementEventKind | None, Query(title="Event kind", description="Only this kind.")
    ] = None,
    status: Annotated[
        EndorsementStatus | None,
        Query(title="Company status", description="Only events of companies now in this status."),
    ] = None,
    company: Annotated[
        str | None,
        Query(
            title="Company slug",
            description="Only this company's events.",
            min_length=1,
            max_length=80,
            pattern=r"^[a-z0-9][a-z0-9-]*$",
        ),
    ] = None,
    occurred_after: Annotated[
        IsoDate | None,
        Query(title="On or after", description="Event on or after this day (see `date_match`)."),
    ] = None,
    occurred_before: Annotated[
        IsoDate | None,
        Query(title="On or before", description="Event on or before this day (see `date_match`)."),
    ] = None,
    date_match: DateMatchQuery = DateMatch.CERTAIN,
) -> queries.EventFilters:
    require_known(session, col(Company.slug), company, "company", "company")
    return queries.EventFilters(
        kind=kind,
        company_status=status,
        company=company,
        occurred_after=occurred_after,
        occurred_before=occurred_before,
        date_match=date_match,
    )


@router.get(
    "/endorsements",
    summary="Endorsement events across companies, oldest first",
    description=ENDORSEMENT_NOTICE,
)
def list_endorsement_events(
    request: Request,
    response: Response,
    session: SessionDep,
    filters: Annotated[queries.EventFilters, Depends(event_filters)],
    page: Annotated[PageParams, Depends(page_params)],
) -> EndorsementEventPage:
    rows, total = queries.list_events(session, filters, page)
    items = [EndorsementEventRead.of(row) for row in rows]
    return EndorsementEventPage(
        notice=ENDORSEMENT_NOTICE, **page_fields(request, response, page, items, total)
    )
