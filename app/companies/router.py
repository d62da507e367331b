"""HTTP routes for companies: public reads (list, detail, revisions) and administrators'
curation (create, change, endorsement events)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from app.api_index.schemas import CoverageNoticeRead
from app.audit.models import AuditRecord
from app.companies import documents, queries, service
from app.companies.filters import company_filters
from app.companies.reports import CompanyReportCreate, CompanyReportRead
from app.companies.schemas import (
    ActorRead,
    CompanyChange,
    CompanyCreate,
    CompanyDetailRead,
    CompanyPage,
    CompanyRead,
    CompanyRevisionRead,
    RevisionPage,
)
from app.companies.slugs import detail_or_elsewhere, elsewhere
from app.core.db import SessionDep
from app.core.errors import NotFoundError, problem_responses
from app.core.etags import IfMatchHeader, Versioned
from app.core.pagination import (
    OffsetPage,
    PageParams,
    keyset_page_params,
    listed_page,
    page_fields,
    with_items,
)
from app.core.parameters import CompanySlug, CompanySlugAnyCase
from app.core.rows import RowsDep
from app.core.urls import API_PREFIX
from app.endorsements import service as endorsements
from app.endorsements.queries import endorsing_count
from app.endorsements.schemas import (
    ENDORSEMENT_NOTICE,
    EndorsementEventCreate,
    EndorsementEventRead,
    RetractionCreate,
)
from app.http.conditional import with_etag
from app.keys.dependencies import AdminDep, PrincipalDep
from app.keys.models import Role
from app.keys.service import describe_actors

router = APIRouter(prefix=API_PREFIX, tags=["companies"], responses=problem_responses(422))


# --- Public reads ----------------------------------------------------------------------------


@router.get(
    "/companies",
    summary="Companies with their endorsement status",
    description=ENDORSEMENT_NOTICE,
    response_model=CompanyPage,
)
def list_companies(
    request: Request,
    response: Response,
    session: SessionDep,
    filters: Annotated[queries.CompanyFilters, Depends(company_filters)],
    page: Annotated[PageParams, Depends(keyset_page_params)],
    sort: Annotated[
        queries.CompanySort,
        Query(title="Sort order", description="Field to sort by; a leading - sorts descending."),
    ] = queries.CompanySort.NAME,
) -> Response:
    # The items are the companies' stored list items, spliced in as they are.
    found = queries.list_companies(session, filters, sort, page)
    shell = _company_page(request, response, session, page, found, [])
    body = with_items(shell.model_dump_json().encode(), found.items)
    return Response(body, media_type="application/json", headers=response.headers)


def company_page(
    request: Request,
    response: Response,
    session: Session,
    filters: queries.CompanyFilters,
    page: PageParams,
    sort: queries.CompanySort,
) -> CompanyPage:
    """The same page as objects (the web page's table)."""
    found = queries.list_companies(session, filters, sort, page)
    items = [CompanyRead.model_validate_json(item) for item in found.items]
    return _company_page(request, response, session, page, found, items)


def _company_page(
    request: Request,
    response: Response,
    session: Session,
    page: PageParams,
    found: queries.CompanyList,
    items: list[CompanyRead],
) -> CompanyPage:
    fields = page_fields(request, response, page, items, found.total, found.following)
    coverage = CoverageNoticeRead.of(endorsing_count(session))
    return CompanyPage(notice=ENDORSEMENT_NOTICE, coverage=coverage, **fields)


@router.get(
    "/companies/{slug}",
    summary="One company: names, endorsement with its history, latest reported status",
    description=ENDORSEMENT_NOTICE,
    responses=problem_responses(308, 404),
    response_model=CompanyDetailRead,
)
async def get_company(
    request: Request,
    response: Response,
    rows: RowsDep,
    session: SessionDep,
    slug: CompanySlugAnyCase,
) -> Response | CompanyDetailRead:
    # The stored document is one row read on the event loop; a worker thread is taken only when
    # the slug is not a company's as written (another case, a former name, a 404).
    stored = await documents.fetch(rows, slug)
    if stored is None:
        detail = await run_in_threadpool(detail_or_elsewhere, request, session, slug)
        return with_etag(request, response, detail)
    with_etag(request, response, Versioned(None, stored.version))
    return Response(stored.body, media_type="application/json", headers=response.headers)


@router.get(
    "/companies/{slug}/history",
    summary="Every recorded change to a company and its endorsement, oldest first",
    responses=problem_responses(308, 404),
)
def company_history(
    request: Request,
    response: Response,
    session: SessionDep,
    slug: CompanySlugAnyCase,
    principal: PrincipalDep,
    page: OffsetPage,
) -> RevisionPage:
    """Every recorded change to the company and its endorsement, from the seed on, oldest first:
    each entry is the public document the company became and who acted (role and organisation;
    administrators also see the key id). Paginated."""
    try:
        revisions = queries.company_revisions(session, slug)
    except NotFoundError:
        raise elsewhere(request, session, slug) from None
    actors = describe_actors(session, {record.actor for record in revisions})
    shows_key = principal.role is Role.ADMIN  # anyone else learns the role and organisation

    def actor(record: AuditRecord) -> ActorRead:
        described = actors[record.actor]
        key_id = record.actor if shows_key else None
        return ActorRead(role=described.role, organisation=described.organisation, key_id=key_id)

    shown = listed_page(request, response, page, revisions)
    shown["items"] = [CompanyRevisionRead.of(record, actor(record)) for record in shown["items"]]
    return RevisionPage(**shown)


# --- Administrators' curation ---------------------------------------------------------------

WRITE_ERRORS = problem_responses(401, 403, 404, 409, 412, 428)


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
) -> CompanyDetailRead:
    """Adds a company with its name, slug, sectors, country and notes; endorsements are
    recorded as events (record_endorsement_event). 409 when the slug is taken."""
    created = service.create_company(session, body.changes(), admin.actor)
    response.headers["Location"] = created.body.url
    return with_etag(request, response, created)


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
) -> CompanyDetailRead:
    """Changes a company's name, sectors, country or notes. Send the ETag of your last GET as If-
    Match: 428 without it, 412 when someone changed the company since."""
    changed = service.change_company(session, slug, body.changes(), if_match, admin.actor)
    return with_etag(request, response, changed)


@router.post(
    "/companies/{slug}/endorsement-events",
    status_code=status.HTTP_201_CREATED,
    summary="Record an endorsement event (administrators); history is never rewritten",
    responses=WRITE_ERRORS,
)
def record_endorsement_event(
    slug: CompanySlug, body: EndorsementEventCreate, session: SessionDep, admin: AdminDep
) -> EndorsementEventRead:
    """Records that a company endorsed, withdrew or re-endorsed, with its date (and that date's
    precision) and a public source. Events must follow the one before (409 otherwise); nothing
    recorded is ever rewritten."""
    day, precision, last = body.stated()
    fields = body.model_dump(exclude={"occurred_on", "precision"})
    new = endorsements.NewEvent(occurred_on=day, precision=precision, latest_on=last, **fields)
    return EndorsementEventRead.of(endorsements.record_event(session, slug, new, admin.actor))


@router.post(
    "/companies/{slug}/endorsement-events/{event_id}/retraction",
    status_code=status.HTTP_201_CREATED,
    summary="Retract an event recorded by mistake (administrators): it stays in the history, "
    "marked retracted, and no longer counts",
    responses=WRITE_ERRORS,
)
def retract_endorsement_event(
    slug: CompanySlug,
    event_id: Annotated[
        int,
        Path(
            title="Event id",
            description="The event's id, as its history shows.",
            ge=1,
            le=2**31 - 1,
        ),
    ],
    body: RetractionCreate,
    session: SessionDep,
    admin: AdminDep,
) -> EndorsementEventRead:
    """Marks an event recorded by mistake as retracted, with a reason and optionally a source. It
    stays in the history, marked, and no longer counts towards status or statistics."""
    retracted = endorsements.retract_event(
        session, slug, event_id, body.reason, body.source_url, admin.actor
    )
    return EndorsementEventRead.of(retracted)


@router.post(
    "/companies/{slug}/transparency-reports",
    status_code=status.HTTP_201_CREATED,
    summary="Link a report the company publishes itself (administrators)",
    responses=WRITE_ERRORS,
)
def link_transparency_report(
    slug: CompanySlug, body: CompanyReportCreate, session: SessionDep, admin: AdminDep
) -> CompanyReportRead:
    """Links a report the company publishes itself (its transparency report, its counts of
    reports to NCMEC), with its publisher and date as precisely as the report states it. It is
    listed in the company's detail and page apart from the updates submitted to this registry,
    and is never changed."""
    return service.link_report(session, slug, body, admin.actor)
