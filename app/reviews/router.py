"""HTTP routes for review threads on submitted updates."""

from typing import Annotated

from fastapi import APIRouter, Path, status

from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.core.parameters import UpdateId
from app.core.urls import API_PREFIX
from app.keys.dependencies import CompanyDep, GovernmentDep, ThreadReaderDep
from app.reviews import service
from app.reviews.schemas import AnswerCreate, ReviewCreate, ReviewRead

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
    update_id: UpdateId, session: SessionDep, reader: ThreadReaderDep
) -> list[ReviewRead]:
    return service.thread(session, reader, update_id)


@router.post(
    "/updates/{update_id:int}/reviews",
    status_code=status.HTTP_201_CREATED,
    summary="Acknowledge an update or ask a follow-up question (government keys)",
)
def add_review(
    update_id: UpdateId, body: ReviewCreate, session: SessionDep, government: GovernmentDep
) -> list[ReviewRead]:
    return service.add_review(session, government, update_id, body)


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
) -> list[ReviewRead]:
    return service.add_answer(session, company, update_id, review_id, body)
