"""API models shared by several domain packages."""

import calendar
import re
from datetime import date
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, Strict

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
    earliest: date = Field(description="First day the stated date can mean.")
    latest: date = Field(description="Last day the stated date can mean.")

    @classmethod
    def of(cls, day: date, precision: str) -> "PartialDate":
        stated = DatePrecision(precision)
        if stated is DatePrecision.DAY:
            return cls(value=day.isoformat(), precision=stated, earliest=day, latest=day)
        if stated is DatePrecision.MONTH:
            last = calendar.monthrange(day.year, day.month)[1]
            return cls(
                value=f"{day.year:04d}-{day.month:02d}",
                precision=stated,
                earliest=day.replace(day=1),
                latest=day.replace(day=last),
            )
        return cls(
            value=f"{day.year:04d}",
            precision=stated,
            earliest=date(day.year, 1, 1),
            latest=date(day.year, 12, 31),
        )


class InputModel(BaseModel):
    """Base of every request body: unknown fields are refused, never ignored."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


HttpsUrl = Annotated[
    str, Field(max_length=500, pattern=r"^https://[^\s/$.?#][^\s]*$", description="An https URL.")
]
Slug = Annotated[
    str, Field(min_length=1, max_length=SLUG_MAX, pattern=SLUG_PATTERN, description="A slug.")
]
