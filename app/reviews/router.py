"""HTTP routes for review threads on submitted updates."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, status

from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.core.routing import API_PREFIX
from app.keys.dependencies import CompanyDep, GovernmentDep, Principal, require_roles
from app.keys.models import Role
from app.reviews import service
from app.reviews.models import ReviewKind
from app.reviews.schemas import AnswerCreate, AnswerOut, ReviewCreate, ReviewOut
from app.updates.router import UpdateId

router = APIRouter(
    prefix=API_PREFIX, tags=["reviews"], responses=problem_responses(401, 403, 404, 422)
)
ThreadReaderDep = Annotated[
    Principal, Depends(require_roles(Role.GOVERNMENT, Role.ADMIN, Role.COMPANY))
]
ReviewId = Annotated[
    int, Path(title="Review id", description="The review's number.", ge=1, le=2**31 - 1)
]


def _thread(session: SessionDep, principal: Principal, update_id: int) -> list[ReviewOut]:
    return [
        ReviewOut(
            id=review.id or 0,
            update_url=f"{API_PREFIX}/updates/{update_id}",
            kind=ReviewKind(review.kind),
            question=review.question,
            government=review.government,
            author=review.author,
            created_at=review.created_at,
            answers=[AnswerOut.model_validate(a) for a in answers],
        )
        for review, answers in service.thread(session, principal, update_id)
    ]


@router.get(
    "/updates/{update_id:int}/reviews",
    summary="The review thread of an update, in order (governments, admins, the company)",
)
def get_thread(
    update_id: UpdateId, session: SessionDep, reader: ThreadReaderDep
) -> list[ReviewOut]:
    return _thread(session, reader, update_id)


@router.post(
    "/updates/{update_id:int}/reviews",
    status_code=status.HTTP_201_CREATED,
    summary="Acknowledge an update or ask a follow-up question (government keys)",
)
def add_review(
    update_id: UpdateId, body: ReviewCreate, session: SessionDep, government: GovernmentDep
) -> list[ReviewOut]:
    service.add_review(session, government, update_id, body)
    return _thread(session, government, update_id)


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
) -> list[ReviewOut]:
    service.add_answer(session, company, update_id, review_id, body)
    return _thread(session, company, update_id)
