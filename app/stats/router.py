"""HTTP routes for dashboard statistics (public data only)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.core.pagination import OffsetPage, PageParams, listed_page, page_fields, page_params
from app.core.parameters import VersionQuery
from app.core.urls import API_PREFIX
from app.endorsements.schemas import ENDORSEMENT_NOTICE
from app.keys.dependencies import PrincipalDep
from app.principles.service import resolve_version
from app.stats import queries
from app.stats.schemas import (
    BreakdownRead,
    CompliancePage,
    CoveragePage,
    CoverageRowRead,
    CycleComplianceRead,
    EndorsementsOverTimeRead,
    GroupCountRead,
    PrincipleAdoptionRead,
)

router = APIRouter(
    prefix=f"{API_PREFIX}/stats", tags=["statistics"], responses=problem_responses(404, 422)
)


@router.get("/endorsements-over-time", summary="Companies endorsing, month by month")
def endorsements_over_time(session: SessionDep) -> EndorsementsOverTimeRead:
    """Month by month, how many companies certainly endorsed (every date known to the month) and
    possibly endorsed (dates known only to the year). Endorsement is not implementation."""
    months = queries.endorsements_over_time(session)
    return EndorsementsOverTimeRead.of(ENDORSEMENT_NOTICE, months)


@router.get(
    "/coverage",
    summary="Every company endorsing now x every principle: its latest status or not_reported "
    "(restricted entries count for government and administrator keys)",
)
def coverage(
    request: Request,
    response: Response,
    session: SessionDep,
    principal: PrincipalDep,
    page: Annotated[PageParams, Depends(page_params)],
    version: VersionQuery = None,
) -> CoveragePage:
    """Every company endorsing now against every principle: its latest reported status, or
    not_reported. Restricted entries count for government and administrator keys only.
    Paginated."""
    framework = resolve_version(session, version)
    restricted = principal.sees_restricted
    rows, total, codes = queries.coverage(session, framework, page, restricted=restricted)
    items = [CoverageRowRead.of(row) for row in rows]
    return CoveragePage(
        framework_version=framework.code,
        principles=codes,
        **page_fields(request, response, page, items, total),
    )


@router.get("/adoption", summary="Per principle: companies by latest published status")
def adoption(session: SessionDep, version: VersionQuery = None) -> list[PrincipleAdoptionRead]:
    """Per principle, how many endorsing companies last reported each status (implemented, in
    progress, planned...) in published updates."""
    framework = resolve_version(session, version)
    counts = queries.adoption(session, framework)
    return [
        PrincipleAdoptionRead.of(principle.code, principle.title, counts[principle.id or 0])
        for principle in queries.principles_of(session, framework)
    ]


@router.get("/compliance", summary="Per reporting cycle: asked, submitted (on time), late")
def compliance(
    request: Request, response: Response, session: SessionDep, page: OffsetPage
) -> CompliancePage:
    """Per reporting cycle: companies asked, submitted on time, submitted late, overdue and not
    yet due. Paginated."""
    found = [CycleComplianceRead.of(cycle) for cycle in queries.compliance(session)]
    return CompliancePage(**listed_page(request, response, page, found))


@router.get("/breakdown", summary="Companies and endorsing companies by country and by sector")
def breakdown(session: SessionDep) -> BreakdownRead:
    """Companies, and companies endorsing now, by country and by sector."""
    by_country, by_sector = queries.breakdown(session)
    return BreakdownRead(
        by_country=[GroupCountRead.of(row) for row in by_country],
        by_sector=[GroupCountRead.of(row) for row in by_sector],
    )
