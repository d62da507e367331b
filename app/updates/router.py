"""HTTP routes for implementation updates: companies write their own; everyone reads what they
may see."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status
from fastapi.responses import JSONResponse

from app.core.concurrency import IfMatchHeader, etag, resource_etag
from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.core.pagination import PageParams, page_fields, page_params
from app.core.routing import API_PREFIX, VersionQuery
from app.core.schemas import IsoDate, Slug
from app.keys.dependencies import CompanyDep, Principal, PrincipalDep
from app.updates import queries, service
from app.updates.idempotency import IdempotencyKeyHeader, Outcome, run_once
from app.updates.models import ImplementationStatus, UpdateState
from app.updates.schemas import (
    BatchCreate,
    BatchResult,
    EntryOut,
    UpdateChange,
    UpdateCreate,
    UpdateOut,
    UpdatePage,
)

router = APIRouter(prefix=API_PREFIX, tags=["updates"], responses=problem_responses(401, 422))
WRITE_ERRORS = problem_responses(403, 404, 409, 412, 428)

UpdateId = Annotated[
    int, Path(title="Update id", description="The update's number.", ge=1, le=2**31 - 1)
]


def _url(update_id: int | None) -> str | None:
    return f"{API_PREFIX}/updates/{update_id}" if update_id else None


def _out(view: queries.UpdateView) -> UpdateOut:
    update = view.update
    return UpdateOut(
        id=update.id or 0,
        url=_url(update.id) or "",
        company=view.company,
        framework_version=view.framework_version,
        period_start=update.period_start,
        period_end=update.period_end,
        summary=update.summary,
        state=UpdateState(update.state),
        revision=update.revision,
        supersedes=_url(update.supersedes_id),
        superseded_by=_url(view.superseded_by),
        reporting_cycle=update.reporting_cycle_id,
        created_at=update.created_at,
        updated_at=update.updated_at,
        submitted_at=update.submitted_at,
        entries=[_entry_out(entry, code) for entry, code in view.entries],
    )


def _entry_out(entry: Any, principle: str) -> EntryOut:
    return EntryOut.model_validate(
        {
            "principle": principle,
            "status": entry.status,
            "narrative": entry.narrative,
            "visibility": entry.visibility,
            "measures": entry.measures,
            "metrics": entry.metrics,
            "evidence": entry.evidence,
        }
    )


def _view(
    request: Request, session: SessionDep, who: Principal, update_id: int, response: Response
) -> UpdateOut:
    """The update as this caller may see it, with its ETag for a later If-Match."""
    view = queries.get_update(session, who, update_id)
    response.headers["ETag"] = resource_etag(request, service.update_etag(view.update))
    return _out(view)


@router.post(
    "/updates",
    status_code=status.HTTP_201_CREATED,
    response_model=UpdateOut,
    summary="Create a draft update for your company (company keys)",
    responses=WRITE_ERRORS,
)
def create_update(
    body: UpdateCreate,
    session: SessionDep,
    company: CompanyDep,
    idempotency_key: IdempotencyKeyHeader = None,
) -> JSONResponse:
    def write() -> Outcome:
        update_id = service.create_draft(session, company, body)
        view = queries.get_update(session, company, update_id)
        headers = {
            "Location": _url(update_id) or "",
            "ETag": etag(service.update_etag(view.update)),
        }
        return Outcome(201, _out(view).model_dump(mode="json"), headers)

    payload = body.model_dump(mode="json")
    return run_once(session, company.company_id or 0, idempotency_key, payload, write).response()


@router.post(
    "/updates/batch",
    status_code=status.HTTP_201_CREATED,
    response_model=BatchResult,
    summary="Create and submit up to 100 updates at once: all or none (company keys)",
    responses=WRITE_ERRORS,
)
def create_batch(
    body: BatchCreate,
    session: SessionDep,
    company: CompanyDep,
    idempotency_key: IdempotencyKeyHeader = None,
) -> JSONResponse:
    def write() -> Outcome:
        ids = service.create_batch(session, company, body.updates)
        views = queries.get_updates(session, company, ids)
        return Outcome(201, BatchResult(updates=[_out(v) for v in views]).model_dump(mode="json"))

    payload = body.model_dump(mode="json")
    return run_once(session, company.company_id or 0, idempotency_key, payload, write).response()


def update_filters(
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
    session: SessionDep,
    principal: PrincipalDep,
    filters: Annotated[queries.UpdateFilters, Depends(update_filters)],
    page: Annotated[PageParams, Depends(page_params)],
) -> UpdatePage:
    views, total = queries.list_updates(session, principal, filters, page)
    return UpdatePage(**page_fields(request, page, [_out(v) for v in views], total))


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
) -> UpdateOut:
    return _view(request, session, principal, update_id, response)


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
) -> UpdateOut:
    service.change_draft(session, company, update_id, body, if_match)
    return _view(request, session, company, update_id, response)


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
) -> UpdateOut:
    service.submit(session, company, update_id, if_match)
    return _view(request, session, company, update_id, response)


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
) -> UpdateOut:
    amendment_id = service.amend(session, company, update_id)
    response.headers["Location"] = _url(amendment_id) or ""
    return _view(request, session, company, amendment_id, response)
