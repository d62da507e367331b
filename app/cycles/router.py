"""HTTP routes for reporting cycles: governments open them; anyone can see who reported."""

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response, status

from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.core.pagination import OffsetPage, listed_page
from app.core.urls import API_PREFIX
from app.cycles import service
from app.cycles.schemas import CycleCreate, CycleDetailRead, CyclePage
from app.keys.dependencies import GovernmentOrAdminDep

router = APIRouter(prefix=API_PREFIX, tags=["reporting cycles"], responses=problem_responses(422))

CycleId = Annotated[
    int, Path(title="Cycle id", description="The reporting cycle's number.", ge=1, le=2**31 - 1)
]


@router.post(
    "/reporting-cycles",
    status_code=status.HTTP_201_CREATED,
    summary="Open a call for updates (government and administrator keys)",
    responses=problem_responses(401, 403, 404),
)
def open_cycle(
    body: CycleCreate, session: SessionDep, opener: GovernmentOrAdminDep, response: Response
) -> CycleDetailRead:
    """Opens a call for updates: a due date and the companies asked (all endorsing companies by
    default). Submissions after the due date are recorded as late."""
    opened = service.open_cycle(session, opener, body)
    response.headers["Location"] = opened.url
    return opened


@router.get("/reporting-cycles", summary="Reporting cycles, latest due date first")
def list_cycles(
    request: Request, response: Response, session: SessionDep, page: OffsetPage
) -> CyclePage:
    """Reporting cycles, latest due date first, with their due dates, the period they ask about
    and who opened them. Paginated."""
    return CyclePage(**listed_page(request, response, page, service.list_cycles(session)))


@router.get(
    "/reporting-cycles/{cycle_id:int}",
    summary="Who was asked, who has submitted (with a link), who is late",
    responses=problem_responses(404),
)
def get_cycle(cycle_id: CycleId, session: SessionDep) -> CycleDetailRead:
    """One cycle: who was asked, who submitted (with a link to the update and whether it was on
    time), who is overdue."""
    return service.cycle_detail(session, cycle_id)
