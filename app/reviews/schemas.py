"""API models for reviews of updates and companies' answers."""

from datetime import datetime
from typing import Self

from pydantic import ConfigDict, Field, model_validator

from app.core.pagination import Page
from app.core.schemas import InputModel, PublicModel
from app.core.urls import update_url
from app.reviews.models import Review, ReviewAnswer, ReviewKind

TEXT_MAX = 5_000


class ReviewCreate(InputModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"kind": "follow_up", "question": "How many accounts were actioned?"}]
        }
    )

    kind: ReviewKind
    question: str | None = Field(
        default=None, min_length=1, max_length=TEXT_MAX, description="Required for follow_up."
    )

    @model_validator(mode="after")
    def _follow_up_asks(self) -> Self:
        if self.kind is ReviewKind.FOLLOW_UP and not self.question:
            raise ValueError("a follow_up review asks a question")
        return self


class AnswerCreate(InputModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"answer": "1,200 in the period."}]})

    answer: str = Field(min_length=1, max_length=TEXT_MAX)


class AnswerRead(PublicModel):
    id: int
    answer: str
    author: str = Field(description="id of the key that answered")
    created_at: datetime


class ReviewRead(PublicModel):
    id: int
    update_url: str
    kind: ReviewKind
    question: str | None
    government: str
    author: str = Field(description="id of the key that reviewed")
    created_at: datetime
    answers: list[AnswerRead] = Field(description="In the order given; never edited.")

    @classmethod
    def of(cls, review: Review, answers: list[ReviewAnswer]) -> "ReviewRead":
        return cls(
            id=review.id or 0,
            update_url=update_url(review.update_id),
            kind=ReviewKind(review.kind),
            question=review.question,
            government=review.government,
            author=review.author,
            created_at=review.created_at,
            answers=[AnswerRead.model_validate(answer) for answer in answers],
        )


class ReviewPage(Page[ReviewRead]):
    """An update's review thread, in order."""
