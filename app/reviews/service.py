"""Reviews: a government acknowledges an update or asks a follow-up; the company answers.

Threads are append-only: there is no way to edit or remove a review or an answer.
"""

from collections import defaultdict
from typing import Any

from sqlmodel import Session, col, select

from app.access import REPORTERS, Principal, reviewing_government_only
from app.audit import service as audit
from app.audit.models import Audience
from app.core.db import transactional
from app.core.errors import ConflictError, NotFoundError
from app.core.urls import reviews_url
from app.reviews.models import Review, ReviewAnswer, ReviewKind
from app.reviews.schemas import AnswerCreate, ReviewCreate, ReviewRead
from app.updates.models import ImplementationUpdate, UpdateState
from app.updates.service import owned_update


def _submitted(session: Session, update_id: int) -> ImplementationUpdate:
    update = session.get(ImplementationUpdate, update_id)
    if update is None or update.state != UpdateState.SUBMITTED:
        raise NotFoundError(f"No submitted update {update_id}.")
    return update


def _readable(session: Session, principal: Principal, update_id: int) -> ImplementationUpdate:
    """Governments and administrators read every update's thread; a company only its own."""
    if principal.role in REPORTERS:
        return owned_update(session, principal, update_id)
    return _submitted(session, update_id)


def _recorded(
    session: Session,
    principal: Principal,
    action: str,
    update: ImplementationUpdate,
    added: dict[str, Any],
    review_id: int,
) -> ReviewRead:
    """Audit what was added to the thread (governments and the company may learn of it), and
    return the review it was added to, as it now reads."""
    update_id = update.id or 0
    audit.record(
        session,
        actor=principal.actor,
        action=action,
        resource_type="update",
        resource_id=update_id,
        url=reviews_url(update_id),
        audience=Audience.RESTRICTED,
        owner=update.company_id,
        before=None,
        after=added,
    )
    return review(session, principal, update_id, review_id)


def review(session: Session, principal: Principal, update_id: int, review_id: int) -> ReviewRead:
    """One review of the thread, with its answers (404 for a review of another update)."""
    found = [read for read in thread(session, principal, update_id) if read.id == review_id]
    if not found:
        raise NotFoundError(f"No review {review_id} of update {update_id}.")
    return found[0]


@transactional
def add_review(
    session: Session, principal: Principal, update_id: int, body: ReviewCreate
) -> ReviewRead:
    update = _submitted(session, update_id)
    review = Review(
        update_id=update_id,
        kind=body.kind,
        question=body.question,
        government=principal.government or "",
        author=principal.actor,
    )
    session.add(review)
    session.flush()
    added = review.model_dump()
    return _recorded(session, principal, f"review.{body.kind}", update, added, review.id or 0)


@transactional
def add_answer(
    session: Session, principal: Principal, update_id: int, review_id: int, body: AnswerCreate
) -> ReviewRead:
    update = owned_update(session, principal, update_id)
    review = session.get(Review, review_id)
    if review is None or review.update_id != update_id:
        raise NotFoundError(f"No review {review_id} of update {update_id}.")
    if review.kind != ReviewKind.FOLLOW_UP:
        raise ConflictError("Only a follow-up question can be answered.")
    answer = ReviewAnswer(review_id=review_id, answer=body.answer, author=principal.actor)
    session.add(answer)
    session.flush()
    return _recorded(session, principal, "review.answered", update, answer.model_dump(), review_id)


def thread(session: Session, principal: Principal, update_id: int) -> list[ReviewRead]:
    """The update's reviews with their answers, oldest first; two statements."""
    _readable(session, principal, update_id)
    of_update = select(Review).where(Review.update_id == update_id)
    if (government := reviewing_government_only(principal)) is not None:
        of_update = of_update.where(Review.government == government)
    reviews = list(session.exec(of_update.order_by(col(Review.id))))
    answers: dict[int, list[ReviewAnswer]] = defaultdict(list)
    review_ids = [r.id for r in reviews]
    if review_ids:
        statement = (
            select(ReviewAnswer)
            .where(col(ReviewAnswer.review_id).in_(review_ids))
            .order_by(col(ReviewAnswer.id))
        )
        for answer in session.exec(statement):
            answers[answer.review_id].append(answer)
    return [ReviewRead.of(review, answers[review.id or 0]) for review in reviews]
