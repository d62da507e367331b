"""HTTP routes for reporting cycles: governments open them; anyone can see who reported."""

from collections import Counter
from typing import Annotated

from fastapi import APIRouter, Path, Response, status

from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.core.routing import API_PREFIX
from app.cycles import service
from app.cycles.models import ReportingCycle
from app.cycles.schemas import CompanyReport, CycleCreate, CycleOut, CycleSummary, ReportingStatus
from app.keys.dependencies import GovernmentOrAdminDep

router = APIRouter(prefix=API_PREFIX, tags=["reporting cycles"], responses=problem_responses(422))

CycleId = Annotated[
    int, Path(title="Cycle id", description="The reporting cycle's number.", ge=1, le=2**31 - 1)
]


def _summary(cycle: ReportingCycle, version: str) -> CycleSummary:
    return CycleSummary(
        id=cycle.id or 0,
        url=f"{API_PREFIX}/reporting-cycles/{cycle.id}",
        title=cycle.title,
        opens_on=cycle.opens_on,
        due_on=cycle.due_on,
        framework_version=version,
        government=cycle.government,
        created_at=cycle.created_at,
    )


def _cycle_out(session: SessionDep, cycle_id: int) -> CycleOut:
    cycle, version = service.get_cycle(session, cycle_id)
    reports = [
        CompanyReport(
            company=row.slug,
            name=row.name,
            status=row.status,
            submitted_at=row.submitted_at,
            submitted_late=row.submitted_late,
            update_url=f"{API_PREFIX}/updates/{row.update_id}" if row.update_id else None,
        )
        for row in service.company_rows(session, cycle)
    ]
    counts = Counter(report.status for report in reports)
    return CycleOut(
        **_summary(cycle, version).model_dump(),
        counts={s: counts.get(s, 0) for s in ReportingStatus},
        companies=reports,
    )


@router.post(
    "/reporting-cycles",
    status_code=status.HTTP_201_CREATED,
    summary="Open a call for updates (government and administrator keys)",
    responses=problem_responses(401, 403, 404),
)
def open_cycle(
    body: CycleCreate, session: SessionDep, opener: GovernmentOrAdminDep, response: Response
) -> CycleOut:
    cycle_id = service.open_cycle(session, opener, body)
    response.headers["Location"] = f"{API_PREFIX}/reporting-cycles/{cycle_id}"
    return _cycle_out(session, cycle_id)


@router.get("/reporting-cycles", summary="Reporting cycles, latest due date first")
def list_cycles(session: SessionDep) -> list[CycleSummary]:
    return [_summary(cycle, version) for cycle, version in service.list_cycles(session)]


@router.get(
    "/reporting-cycles/{cycle_id:int}",
    summary="Who was asked, who has submitted (with a link), who is late",
    responses=problem_responses(404),
)
def get_cycle(cycle_id: CycleId, session: SessionDep) -> CycleOut:
    return _cycle_out(session, cycle_id)
