"""Column types shared by every domain package."""

from collections.abc import Iterable
from datetime import UTC, date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, DateTime, Dialect, Integer
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every engine.

    PostgreSQL keeps the zone (timestamptz); SQLite keeps none, so values are stored as UTC and
    given their zone back when read. Naive datetimes are refused rather than guessed at.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: timestamps must be timezone-aware")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def as_utc(value: datetime | str | None) -> datetime | None:
    """A timestamp read outside the ORM (`app/core/rows.py`): PostgreSQL gives an aware
    datetime, SQLite the text it stored, in UTC."""
    if value is None:
        return None
    found = datetime.fromisoformat(value) if isinstance(value, str) else value
    return found.replace(tzinfo=UTC) if found.tzinfo is None else found.astimezone(UTC)


def as_date(value: date | str) -> date:
    """A date read outside the ORM: PostgreSQL gives a date, SQLite the text it stored."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def utcnow() -> datetime:
    return datetime.now(UTC)


def one_of(column: str, values: Iterable[StrEnum], name: str | None = None) -> CheckConstraint:
    """A CHECK that keeps a text column inside a controlled vocabulary."""
    allowed = ", ".join(f"'{member.value}'" for member in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=name or f"{column}_allowed")


class DatePrecision(StrEnum):
    """How much of a date a source actually states."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    # Between two days, each bound with its own source (an endorsement a 2024 page dates only
    # to "2020" and a 2021 briefing shows had happened by then).
    RANGE = "range"


# What a single stated date can be (a milestone, a former name's end); a range is for events.
POINT_PRECISIONS = (DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR)


def version_column() -> Column[int]:
    """A row version: SQLAlchemy adds `WHERE version = :seen` to each UPDATE and bumps it, so
    of two writers holding the same version exactly one succeeds (the other: StaleDataError)."""
    return Column("version", Integer, nullable=False, server_default="1")
