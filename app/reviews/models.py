"""Reviews of submitted updates by governments, and companies' answers: append-only threads."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Text
from sqlmodel import Field, SQLModel

from app.core.types import UTCDateTime, one_of, utcnow


class ReviewKind(StrEnum):
    ACKNOWLEDGED = "acknowledged"
    FOLLOW_UP = "follow_up"


class Review(SQLModel, table=True):
    __tablename__ = "review"
    __table_args__ = (
        one_of("kind", ReviewKind),
        CheckConstraint("kind <> 'follow_up' OR question IS NOT NULL", name="follow_up_asks"),
    )

    id: int | None = Field(default=None, primary_key=True)
    update_id: int = Field(foreign_key="implementation_update.id", index=True)
    kind: str = Field(max_length=20)
    question: str | None = Field(default=None, sa_type=Text)
    government: str = Field(max_length=200)
    author: str = Field(max_length=40, description="key id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ReviewAnswer(SQLModel, table=True):
    __tablename__ = "review_answer"

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True)
    answer: str = Field(sa_type=Text)
    author: str = Field(max_length=40, description="key id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
