"""HTTP routes for milestones (public reads)."""

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.core.pagination import OffsetPage, listed_page
from app.core.urls import API_PREFIX
from app.milestones import service
from app.milestones.schemas import MilestonePage, MilestoneRead

router = APIRouter(prefix=API_PREFIX, tags=["milestones"], responses=problem_responses(422))


@router.get("/milestones", summary="Dated events in the history of the principles, oldest first")
def list_milestones(
    request: Request, response: Response, session: SessionDep, page: OffsetPage
) -> MilestonePage:
    """Dated events in the history of the principles (launch, endorsements by groups,
    communiqués), oldest first, each with its source or citation and the precision of its date.
    Paginated."""
    found = [MilestoneRead.of(m) for m in service.list_milestones(session)]
    return MilestonePage(**listed_page(request, response, page, found))


@router.get("/milestones/{slug}", summary="One milestone", responses=problem_responses(404))
def get_milestone(
    session: SessionDep,
    slug: Annotated[
        str,
        Path(
            title="Milestone slug",
            description="Stable identifier such as launch-washington-2020.",
            min_length=1,
            max_length=80,
            pattern=r"^[a-z0-9][a-z0-9-]*$",
        ),
    ],
) -> MilestoneRead:
    """One milestone by its slug, with its date's precision and its source or citation."""
    return MilestoneRead.of(service.get_milestone(session, slug))
