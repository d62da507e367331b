"""The pages' routes: each gathers what the matching API call answers, in the anonymous view,
by calling the same reads, and renders it. Every page has an ETag (the public data version) and
answers 304; each links its JSON twin."""

from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, FastAPI, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from app.access import ANONYMOUS
from app.api_index.router import api_index
from app.changes.schemas import ChangeRead
from app.changes.service import latest_changes
from app.companies import queries as company_queries
from app.companies.filters import company_filters
from app.companies.router import company_page
from app.companies.slugs import shown_detail
from app.core.db import SessionDep
from app.core.errors import MovedError, NotFoundError
from app.core.pagination import OffsetPage, PageParams, keyset_page_params
from app.core.parameters import CompanySlugAnyCase, UpdateId
from app.core.urls import API_PREFIX
from app.cycles.router import CycleId, get_cycle
from app.endorsements.queries import endorsing_count
from app.http.conditional import conditional_page, data_version_of
from app.pages import charts, fragments, rendering
from app.pages.data import data_files
from app.principles.router import list_principles, list_themes
from app.stats.router import adoption, compliance, coverage, endorsements_over_time
from app.updates import queries as update_queries
from app.updates.router import get_update
from app.updates.schemas import UpdateRead


def without_empty_fields(request: Request) -> None:
    """A form sends its empty fields (`?q=&status=`): they mean "any", so the page redirects to
    its URL without them, before the filters are read (the API itself refuses them)."""
    kept = [(name, value) for name, value in request.query_params.multi_items() if value != ""]
    if len(kept) < len(request.query_params.multi_items()):
        query = f"?{urlencode(kept)}" if kept else ""
        raise MovedError("Empty fields mean any value.", f"{request.url.path}{query}")


router = APIRouter(
    include_in_schema=False,
    dependencies=[Depends(without_empty_fields), Depends(conditional_page)],
    default_response_class=HTMLResponse,
)
STATIC_URL = "/static"


def _page(
    request: Request, session: SessionDep, template: str, twin: str, **context: Any
) -> HTMLResponse:
    """The page in the anonymous view, at the version conditional_page found."""
    return HTMLResponse(
        rendering.html(template, twin, endorsing_count(session), **context),
        headers=rendering.headers(data_version_of(request), twin),
    )


def _twin(request: Request) -> str:
    """The API URL that answers with this page's data."""
    query = f"?{request.url.query}" if request.url.query else ""
    return f"{API_PREFIX}{request.url.path}{query}"


@router.get("/")
def home(request: Request, session: SessionDep) -> HTMLResponse:
    index = api_index(session)
    over_time = endorsements_over_time(session)
    latest = latest_changes(session, ANONYMOUS, 10)
    changes = [ChangeRead.of(change.seq, change.record) for change in latest]
    return _page(
        request, session, "home.html", API_PREFIX, index=index, themes=list_themes(session),
        principles=list_principles(session), over_time=over_time,
        chart=charts.timeline(over_time.months), changes=changes,
    )  # fmt: skip


@router.get("/companies")
def companies(
    request: Request,
    session: SessionDep,
    filters: Annotated[company_queries.CompanyFilters, Depends(company_filters)],
    page: Annotated[PageParams, Depends(keyset_page_params)],
    sort: Annotated[company_queries.CompanySort, Query()] = company_queries.CompanySort.NAME,
) -> HTMLResponse:
    found = company_page(request, Response(), session, filters, page, sort)
    return _page(
        request, session, "companies.html", _twin(request), found=found,
        rows=[fragments.row(item) for item in found.items], filters=filters, sort=sort,
        sorts=list(company_queries.CompanySort),
    )  # fmt: skip


@router.get("/companies/{slug}", response_model=None)
def company(
    request: Request, session: SessionDep, slug: CompanySlugAnyCase
) -> HTMLResponse | RedirectResponse:
    try:
        detail = shown_detail(request, session, slug)
    except MovedError as moved:
        return RedirectResponse((moved.headers or {})["Location"], status_code=308)
    except NotFoundError as missing:
        return not_found_page(request, session, missing)
    filters = update_queries.UpdateFilters(company=detail.slug, include_superseded=True)
    views = update_queries.list_update_heads(session, ANONYMOUS, filters, fragments.MOST_UPDATES)
    updates = [UpdateRead.of(view) for view in views]  # their entries are on their own pages
    return _page(
        request, session, "company.html", _twin(request), name=detail.name,
        content=fragments.content(detail, updates),
    )  # fmt: skip


@router.get("/updates/{update_id:int}")
def update(request: Request, session: SessionDep, update_id: UpdateId) -> HTMLResponse:
    try:
        shown = get_update(request, update_id, session, ANONYMOUS, Response())
    except NotFoundError as missing:
        return not_found_page(request, session, missing)
    return _page(request, session, "update.html", _twin(request), update=shown)


@router.get("/principles")
def principles(request: Request, session: SessionDep) -> HTMLResponse:
    counts = adoption(session)
    return _page(
        request, session, "principles.html", f"{API_PREFIX}/stats/adoption",
        themes=list_themes(session), principles=list_principles(session), adoption=counts,
        chart=charts.adoption(counts),
    )  # fmt: skip


@router.get("/coverage")
def coverage_matrix(request: Request, session: SessionDep, page: OffsetPage) -> HTMLResponse:
    found = coverage(request, Response(), session, ANONYMOUS, page)
    twin = f"{API_PREFIX}/stats/coverage" + (f"?{request.url.query}" if request.url.query else "")
    return _page(request, session, "coverage.html", twin, found=found)


@router.get("/reporting-cycles")
def cycles(request: Request, session: SessionDep, page: OffsetPage) -> HTMLResponse:
    found = compliance(request, Response(), session, page)
    return _page(request, session, "cycles.html", f"{API_PREFIX}/stats/compliance", found=found)


@router.get("/reporting-cycles/{cycle_id:int}")
def cycle(request: Request, session: SessionDep, cycle_id: CycleId) -> HTMLResponse:
    try:
        found = get_cycle(cycle_id, session)
    except NotFoundError as missing:
        return not_found_page(request, session, missing)
    return _page(request, session, "cycle.html", _twin(request), cycle=found)


@router.get("/data")
def data(
    request: Request, session: SessionDep, files: Annotated[dict[str, Any], Depends(data_files)]
) -> HTMLResponse:
    return _page(request, session, "data.html", f"{API_PREFIX}/exports/datapackage.json", **files)


def not_found_page(request: Request, session: SessionDep, error: NotFoundError) -> HTMLResponse:
    """A 404 a person can read, with a way back."""
    page = _page(request, session, "not_found.html", API_PREFIX, detail=error.detail)
    page.status_code = 404
    return page


def install_pages(app: FastAPI) -> None:
    app.include_router(router)
    app.mount(STATIC_URL, StaticFiles(directory=Path(__file__).with_name("static")), name="static")
