"""HTTP routes for implementation updates: companies write their own; everyone reads what they
may see."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, status
from fastapi.responses import JSONResponse
from sqlmodel import col

from app.companies.models import Company
from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.core.etags import IfMatchHeader
from app.core.lookups import require_known
from app.core.pagination import PageParams, keyset_page_params, page_fields
from app.core.parameters import UpdateId, VersionQuery
from app.core.schemas import IsoDate, Slug
from app.core.urls import API_PREFIX
from app.cycles.models import ReportingCycle
from app.http.conditional import with_etag
from app.keys.dependencies import CompanyDep, PrincipalDep
from app.principles.models import FrameworkVersion, Principle
from app.updates import queries, service
from app.updates.idempotency import IdempotencyKeyHeader
from app.updates.models import ImplementationStatus, UpdateState
from app.updates.schemas import (
    UpdateBatchCreate,
    UpdateBatchRead,
    UpdateChange,
    UpdateCreate,
    UpdatePage,
    UpdateRead,
)

router = APIRouter(prefix=API_PREFIX, tags=["updates"], responses=problem_responses(401, 422))
WRITE_ERRORS = problem_responses(403, 404, 409, 412, 428)


@router.post(
    "/updates",
    status_code=status.HTTP_201_CREATED,
    response_model=UpdateRead,
    summary="Create a draft update for your company (company keys)",
    responses=WRITE_ERRORS,
)
def create_update(
    body: UpdateCreate,
    session: SessionDep,
    company: CompanyDep,
    idempotency_key: IdempotencyKeyHeader = None,
) -> JSONResponse:
    """Creates a draft implementation update for your own company: entries per principle with
    status, narrative, measures, metrics and evidence. Only your company's keys see the draft.
    Send an Idempotency-Key to make retries safe."""
    return service.create_draft(session, company, body, idempotency_key).response()


@router.post(
    "/updates/batch",
    status_code=status.HTTP_201_CREATED,
    response_model=UpdateBatchRead,
    summary="Create and submit up to 100 updates at once: all or none (company keys)",
    responses=WRITE_ERRORS,
)
def create_batch(
    body: UpdateBatchCreate,
    session: SessionDep,
    company: CompanyDep,
    idempotency_key: IdempotencyKeyHeader = None,
) -> JSONResponse:
    """Creates and submits up to 100 updates in one transaction: either all are recorded or none
    (the 422 says which item failed). Company keys, for their own company only."""
    return service.create_batch(session, company, body, idempotency_key).response()


def update_filters(
    session: SessionDep,
    company: Annotated[Slug | None, Query(title="Company", description="Company slug.")] = None,
    principle: Annotated[
        str | None,
        Query(
            title="Principle",
            description="Only updates with an entry (that you may see) for this principle.",
            max_length=10,
            pattern=r"^[A-Za-z0-9-]+$",
        ),
    ] = None,
    status: Annotated[
        ImplementationStatus | None,
        Query(title="Entry status", description="Only updates with an entry in this status."),
    ] = None,
    state: Annotated[
        UpdateState | None,
        Query(title="State", description="draft (your own only) or submitted."),
    ] = None,
    period_from: Annotated[
        IsoDate | None, Query(title="Period from", description="Reporting period ends on or after.")
    ] = None,
    period_to: Annotated[
        IsoDate | None,
        Query(title="Period to", description="Reporting period starts on or before."),
    ] = None,
    version: VersionQuery = None,
    reporting_cycle: Annotated[
        int | None,
        Query(title="Reporting cycle", description="Answers to this cycle.", ge=1, le=2**31 - 1),
    ] = None,
    include_superseded: Annotated[
        bool,
        Query(title="Include superseded", description="Also revisions replaced by an amendment."),
    ] = False,
) -> queries.UpdateFilters:
    require_known(session, col(Company.slug), company, "company", "company")
    require_known(session, col(Principle.code), principle, "principle", "principle", fold=True)
    require_known(session, col(FrameworkVersion.code), version, "framework version", "version")
    require_known(
        session, col(ReportingCycle.id), reporting_cycle, "reporting cycle", "reporting_cycle"
    )
    return queries.UpdateFilters(
        company=company,
        principle=principle,
        status=status,
        state=state,
        period_from=period_from,
        period_to=period_to,
        framework_version=version,
        reporting_cycle=reporting_cycle,
        include_superseded=include_superseded,
    )


@router.get("/updates", summary="Implementation updates you may see, newest period first")
def list_updates(
    request: Request,
    response: Response,
    session: SessionDep,
    principal: PrincipalDep,
    filters: Annotated[queries.UpdateFilters, Depends(update_filters)],
    page: Annotated[PageParams, Depends(keyset_page_params)],
) -> UpdatePage:
    """Updates you may see, newest reporting period first: published ones for everyone; your
    drafts for your company's keys; restricted entries for government and administrator keys.
    Filter by company, principle, status, period or cycle; keyset pages (`next`)."""
    found = queries.list_updates(session, principal, filters, page)
    items = [UpdateRead.of(view) for view in found.views]
    return UpdatePage(**page_fields(request, response, page, items, found.total, found.following))


@router.get(
    "/updates/{update_id:int}",
    summary="One update, with the entries you may see",
    responses=problem_responses(404),
)
def get_update(
    request: Request,
    update_id: UpdateId,
    session: SessionDep,
    principal: PrincipalDep,
    response: Response,
) -> UpdateRead:
    """One update with the entries you may see. Its ETag is the version to send as If-Match when
    you change or submit it."""
    return with_etag(request, response, queries.read_update(session, principal, update_id))


@router.patch(
    "/updates/{update_id:int}",
    summary="Change your draft (company keys; If-Match required)",
    responses=WRITE_ERRORS,
)
def change_update(
    request: Request,
    update_id: UpdateId,
    body: UpdateChange,
    session: SessionDep,
    company: CompanyDep,
    response: Response,
    if_match: IfMatchHeader = None,
) -> UpdateRead:
    """Changes your draft. Send its ETag as If-Match (428 without, 412 if it changed since).
    Submitted updates never change: amend them instead."""
    changed = service.change_draft(session, company, update_id, body, if_match)
    return with_etag(request, response, changed)


@router.post(
    "/updates/{update_id:int}/submit",
    summary="Submit your draft; it can never change afterwards (If-Match required)",
    responses=WRITE_ERRORS,
)
def submit_update(
    request: Request,
    update_id: UpdateId,
    session: SessionDep,
    company: CompanyDep,
    response: Response,
    if_match: IfMatchHeader = None,
) -> UpdateRead:
    """Submits your draft: it is published (except restricted entries) and can never change
    afterwards. If-Match is required; an update for a reporting cycle records whether it was on
    time."""
    return with_etag(request, response, service.submit(session, company, update_id, if_match))


@router.post(
    "/updates/{update_id:int}/amend",
    status_code=status.HTTP_201_CREATED,
    summary="Start an amendment: a new draft revision that supersedes this update once submitted",
    responses=WRITE_ERRORS,
)
def amend_update(
    request: Request,
    update_id: UpdateId,
    session: SessionDep,
    company: CompanyDep,
    response: Response,
) -> UpdateRead:
    """Starts an amendment: a new draft revision linked to this update, which it supersedes once
    submitted. The original stays published and linked both ways."""
    amendment = service.amend(session, company, update_id)
    response.headers["Location"] = amendment.body.url
    return with_etag(request, response, amendment)
