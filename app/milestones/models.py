"""Dated events in the history of the principles (launch, ministerial statements, ...)."""

from datetime import date

from sqlalchemy import CheckConstraint, Text
from sqlmodel import Field, SQLModel

from app.core.types import POINT_PRECISIONS, one_of


class Milestone(SQLModel, table=True):
    __tablename__ = "milestone"
    __table_args__ = (
        one_of("date_precision", POINT_PRECISIONS),
        CheckConstraint("source_url IS NULL OR source_url LIKE 'https://%'", name="source_https"),
    )

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=80, unique=True)
    occurred_on: date = Field(index=True)
    date_precision: str = Field(max_length=5)
    title: str = Field(max_length=300)
    description: str | None = Field(default=None, sa_type=Text)
    source_url: str | None = Field(default=None, max_length=500)
    # A citation where no stable URL is known (or beside one): who published what, and when, as
    # printed (YYYY-MM-DD, YYYY-MM or YYYY). The seed refuses a milestone with no source at all.
    cited_publisher: str | None = Field(default=None, max_length=200)
    cited_title: str | None = Field(default=None, max_length=300)
    cited_date: str | None = Field(default=None, max_length=10)
