"""API models shared by several domain packages."""

import re
from datetime import date
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, Strict

from app.core.dates import stated_interval
from app.core.parameters import SLUG_MAX, SLUG_PATTERN
from app.core.types import DatePrecision

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _written_as(pattern: re.Pattern[str], expected: str) -> Any:
    """Refuse what Pydantic would otherwise read as a date: numbers, taken as Unix times."""

    def check(value: Any) -> Any:
        if isinstance(value, str) and pattern.match(value):
            return value
        if isinstance(value, date):  # already parsed (a default, or Python callers)
            return value
        raise ValueError(f"expected {expected}")

    return check


IsoDate = Annotated[date, BeforeValidator(_written_as(_ISO_DATE, "a date as YYYY-MM-DD"))]
IsoDateTime = Annotated[
    AwareDatetime,
    BeforeValidator(_written_as(_ISO_DATETIME, "a date and time, ISO 8601 with an offset")),
]
# Numbers only as JSON numbers: not "1", and not true or false.
JsonInt = Annotated[int, Strict()]
JsonNumber = Annotated[float, Strict()]


class PublicModel(BaseModel):
    """Base of every response model: attributes can be read straight from ORM rows."""

    model_config = ConfigDict(from_attributes=True)


class PartialDate(PublicModel):
    """A date as precisely as its source states it: 2020-03-05, 2020-03 or 2020."""

    value: str = Field(description="ISO 8601 to the stated precision: YYYY-MM-DD, YYYY-MM or YYYY.")
    precision: DatePrecision
    earliest: date = Field(
        description="First day the stated date can mean (for an endorsement, never before the "
        "framework version's publication)."
    )
    latest: date = Field(description="Last day the stated date can mean.")

    @classmethod
    def of(
        cls, day: date, precision: str, interval: tuple[date, date] | None = None
    ) -> "PartialDate":
        """The date as stated; `interval` when the fact narrows it (an endorsement cannot
        predate the principles it endorses), else every day the stated date can mean."""
        stated = DatePrecision(precision)
        earliest, latest = interval or stated_interval(day, stated)
        if stated is DatePrecision.DAY:
            value = day.isoformat()
        elif stated is DatePrecision.MONTH:
            value = f"{day.year:04d}-{day.month:02d}"
        else:
            value = f"{day.year:04d}"
        return cls(value=value, precision=stated, earliest=earliest, latest=latest)


class InputModel(BaseModel):
    """Base of every request body: unknown fields are refused, never ignored."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


HTTPS_URL_PATTERN = r"^https://[^\s/$.?#][^\s]*$"
HttpsUrl = Annotated[
    str, Field(max_length=500, pattern=HTTPS_URL_PATTERN, description="An https URL.")
]
# What each pattern means, for people reading a 422 (app/http/error_handlers.py).
PATTERNS_IN_WORDS = {
    HTTPS_URL_PATTERN: "an https URL (https://...) without spaces",
    SLUG_PATTERN: "a slug: lower-case letters, digits and hyphens, starting with a letter or digit",
    r"^[A-Za-z0-9][A-Za-z0-9-]*$": "a slug: letters, digits and hyphens",
}
Slug = Annotated[
    str, Field(min_length=1, max_length=SLUG_MAX, pattern=SLUG_PATTERN, description="A slug.")
]
