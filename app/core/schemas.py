"""API models shared by several domain packages."""

import calendar
from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from app.core.types import DatePrecision


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
    str, Field(min_length=1, max_length=80, pattern=r"^[a-z0-9][a-z0-9-]*$", description="A slug.")
]
