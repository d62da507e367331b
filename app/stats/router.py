"""HTTP routes for dashboard statistics (public data only)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.core.pagination import PageParams, page_fields, page_params
from app.core.routing import API_PREFIX, VersionQuery
from app.cycles.schemas import ReportingStatus
from app.endorsements.schemas import ENDORSEMENT_NOTICE
from app.principles.service import resolve_version
from app.stats import service
from app.stats.schemas import (
    Breakdown,
    CoverageMatrix,
    CoverageRow,
    CycleCompliance,
    EndorsementsOverTime,
    GroupCount,
    MonthCount,
    PrincipleAdoption,
)
from app.updates.models import ImplementationStatus

router = APIRouter(
    prefix=f"{API_PREFIX}/stats", tags=["statistics"], responses=problem_responses(404, 422)
)


@router.get("/endorsements-over-time", summary="Companies endorsing, month by month")
def endorsements_over_time(session: SessionDep) -> EndorsementsOverTime:
    months = [
        MonthCount(
            month=m.month,
            endorsing=m.endorsing,
            endorsed_this_month=m.endorsed,
            withdrawn_this_month=m.withdrawn,
        )
        for m in service.endorsements_over_time(session)
    ]
    return EndorsementsOverTime(notice=ENDORSEMENT_NOTICE, months=months)


@router.get(
    "/coverage",
    summary="Company x principle: the latest published status (companies that published any)",
)
def coverage(
    request: Request,
    session: SessionDep,
    page: Annotated[PageParams, Depends(page_params)],
    version: VersionQuery = None,
) -> CoverageMatrix:
    framework = resolve_version(session, version)
    rows, total = service.coverage(session, framework, page)
    items = [
        CoverageRow(company=slug, statuses={k: ImplementationStatus(v) for k, v in s.items()})
        for slug, s in rows
    ]
    return CoverageMatrix(
        framework_version=framework.code,
        principles=[p.code for p in service.principles_of(session, framework)],
        **page_fields(request, page, items, total),
    )


@router.get("/adoption", summary="Per principle: companies by latest published status")
def adoption(session: SessionDep, version: VersionQuery = None) -> list[PrincipleAdoption]:
    framework = resolve_version(session, version)
    counts = service.adoption(session, framework)
    return [
        PrincipleAdoption(
            principle=principle.code,
            title=principle.title,
            companies_reporting=sum(counts[principle.id or 0].values()),
            by_status={s: counts[principle.id or 0].get(s, 0) for s in ImplementationStatus},
        )
        for principle in service.principles_of(session, framework)
    ]


@router.get("/compliance", summary="Per reporting cycle: asked, submitted (on time), late")
def compliance(session: SessionDep) -> list[CycleCompliance]:
    return [
        CycleCompliance(
            cycle=c.cycle.id or 0,
            url=f"{API_PREFIX}/reporting-cycles/{c.cycle.id}",
            title=c.cycle.title,
            due_on=c.cycle.due_on.isoformat(),
            asked=c.asked,
            submitted=c.counts[ReportingStatus.SUBMITTED],
            submitted_on_time=c.on_time,
            late=c.counts[ReportingStatus.LATE],
            not_yet_due=c.counts[ReportingStatus.NOT_YET_DUE],
        )
        for c in service.compliance(session)
    ]


@router.get("/breakdown", summary="Companies and endorsing companies by country and by sector")
def breakdown(session: SessionDep) -> Breakdown:
    by_country, by_sector = service.breakdown(session)
    return Breakdown(
        by_country=[GroupCount(key=k, companies=n, endorsing=e) for k, n, e in by_country],
        by_sector=[GroupCount(key=k, companies=n, endorsing=e) for k, n, e in by_sector],
    )
