"""Dates as precisely as their sources state them: a day, a month or a year.

A stated date means an interval of days. Where a fact cannot predate something (an endorsement
of the 2020 principles cannot predate their publication on 2020-03-05), the interval is clipped
to it; a date whose whole interval lies before it is not a date that fact can have.
"""

import calendar
import re
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement

from app.core.errors import InvalidRequestError
from app.core.types import DatePrecision

# The more precise first: a day, a month, a year, then a range between two days.
PRECISION_RANK = {
    DatePrecision.DAY: 0, DatePrecision.MONTH: 1, DatePrecision.YEAR: 2, DatePrecision.RANGE: 3,
}  # fmt: skip
_STATED = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")  # ASCII digits only


def stated_interval(
    day: date, precision: DatePrecision | str, last: date | None = None
) -> tuple[date, date]:
    """The first and last day a date stated to this precision can mean (a range states its
    own last day, `last`)."""
    stated = DatePrecision(precision)
    if stated is DatePrecision.RANGE:
        if last is None or last < day:
            raise ValueError("a range states its last day, not before its first")
        return day, last
    if stated is DatePrecision.DAY:
        return day, day
    if stated is DatePrecision.MONTH:
        days = calendar.monthrange(day.year, day.month)[1]
        return day.replace(day=1), day.replace(day=days)
    return date(day.year, 1, 1), date(day.year, 12, 31)


def clipped_interval(
    day: date, precision: DatePrecision | str, not_before: date, last: date | None = None
) -> tuple[date, date] | None:
    """The stated interval from `not_before` on; None when all of it lies before."""
    earliest, latest = stated_interval(day, precision, last)
    if latest < not_before:
        return None
    return max(earliest, not_before), latest


def parse_stated(text: str) -> tuple[date, DatePrecision]:
    """ "2025-05-14", "2025-05" or "2025": the first day meant, and the precision stated.
    ValueError (in words) for anything else."""
    found = _STATED.match(text.strip())
    if found is None:
        raise ValueError("a date is YYYY-MM-DD, YYYY-MM (a month) or YYYY (a year)")
    year, month, day = (int(part) if part else None for part in found.groups())
    try:
        first = date(year or 0, month or 1, day or 1)
    except ValueError:
        raise ValueError(f"{text.strip()} is not a date in the calendar") from None
    if day is not None:
        return first, DatePrecision.DAY
    return first, DatePrecision.MONTH if month is not None else DatePrecision.YEAR


def parse_stated_range(text: str) -> tuple[date, date]:
    """ "2020-03-05/2021-03-31" (ISO 8601's interval of two days): its first and last day.
    ValueError (in words) for anything else."""
    parts = text.strip().split("/")
    days = [parse_stated(part) for part in parts] if len(parts) == 2 else []  # noqa: PLR2004
    if not days or any(precision is not DatePrecision.DAY for _, precision in days):
        raise ValueError("a range is two days, YYYY-MM-DD/YYYY-MM-DD")
    (first, _), (last, _) = days
    if last <= first:
        raise ValueError(f"the range {text.strip()} ends before it starts, or on the same day")
    return first, last


class DateMatch(StrEnum):
    """How a date filter reads a date known only to its month or year."""

    CERTAIN = "certain"  # every day the date can mean satisfies the filter
    POSSIBLE = "possible"  # some day it can mean does


def in_range(
    earliest: Any, latest: Any, after: date | None, before: date | None, match: DateMatch
) -> list[ColumnElement[bool]]:
    """Conditions for "on or after `after`" and "on or before `before`" over an interval of
    days (two columns), read as `match` says; a range ending before it starts is refused."""
    if after is not None and before is not None and after > before:
        raise InvalidRequestError(
            f"The range is empty: {after.isoformat()} is after {before.isoformat()}."
        )
    certain = match is DateMatch.CERTAIN
    conditions: list[ColumnElement[bool]] = []
    if after is not None:
        conditions.append((earliest if certain else latest) >= after)
    if before is not None:
        conditions.append((latest if certain else earliest) <= before)
    return conditions
