"""HTTP routes for review threads on submitted updates."""

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response, status

from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.core.pagination import OffsetPage, listed_page
from app.core.parameters import UpdateId
from app.core.urls import API_PREFIX, review_url
from app.keys.dependencies import CompanyDep, GovernmentDep, ThreadReaderDep
from app.reviews import service
from app.reviews.schemas import AnswerCreate, ReviewCreate, ReviewPage, ReviewRead

router = APIRouter(
    prefix=API_PREFIX, tags=["reviews"], responses=problem_responses(401, 403, 404, 422)
)
ReviewId = Annotated[
    int, Path(title="Review id", description="The review's number.", ge=1, le=2**31 - 1)
]


@router.get(
    "/updates/{update_id:int}/reviews",
    summary="The review thread of an update, in order (governments, admins, the company)",
)
def get_thread(
    request: Request,
    response: Response,
    update_id: UpdateId,
    session: SessionDep,
    reader: ThreadReaderDep,
    page: OffsetPage,
) -> ReviewPage:
    """The review thread of an update in order: acknowledgements and follow-up questions from
    governments and administrators, and the company's answers. Only the company, governments
    and administrators see it (404 to others). Paginated."""
    found = service.thread(session, reader, update_id)
    return ReviewPage(**listed_page(request, response, page, found))


@router.post(
    "/updates/{update_id:int}/reviews",
    status_code=status.HTTP_201_CREATED,
    summary="Acknowledge an update or ask a follow-up question (government keys); answers the "
    "created review, with its Location",
)
def add_review(
    update_id: UpdateId,
    body: ReviewCreate,
    session: SessionDep,
    government: GovernmentDep,
    response: Response,
) -> ReviewRead:
    """A government key acknowledges a submitted update or asks a follow-up question. The answer
    is the created review; its URL is in Location."""
    created = service.add_review(session, government, update_id, body)
    response.headers["Location"] = review_url(update_id, created.id)
    return created


@router.get(
    "/updates/{update_id:int}/reviews/{review_id:int}",
    summary="One review of an update's thread, with its answers",
)
def get_review(
    update_id: UpdateId, review_id: ReviewId, session: SessionDep, reader: ThreadReaderDep
) -> ReviewRead:
    """One review of an update's thread with the company's answers, for those who may see the
    thread."""
    return service.review(session, reader, update_id, review_id)


@router.post(
    "/updates/{update_id:int}/reviews/{review_id:int}/answers",
    status_code=status.HTTP_201_CREATED,
    summary="Answer a follow-up question about your update (company keys)",
    responses=problem_responses(409),
)
def answer_review(
    update_id: UpdateId,
    review_id: ReviewId,
    body: AnswerCreate,
    session: SessionDep,
    company: CompanyDep,
    response: Response,
) -> ReviewRead:
    """The update's company answers a follow-up question; only a follow-up can be answered (409
    for an acknowledgement)."""
    answered = service.add_answer(session, company, update_id, review_id, body)
    response.headers["Location"] = review_url(update_id, review_id)
    return answered
