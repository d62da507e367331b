"""API models shared by several domain packages."""

import re
import sys
import unicodedata
from datetime import date
from functools import cache
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    model_validator,
)

from app.core.dates import stated_interval
from app.core.parameters import SLUG_MAX, SLUG_PATTERN
from app.core.types import DatePrecision, utcnow

# ASCII digits only: `\d` would also take full-width and other scripts' digits.
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_ISO_DATETIME = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}")


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
# The days a reporting period, a metric's period or a cycle's dates may fall on: from five years
# before the principles to five years ahead (a period of 0001-01-01 to 9999-12-31 was accepted,
# and a cycle asking about it could never be answered).
REPORTING_EARLIEST = date(2015, 1, 1)
REPORTING_YEARS_AHEAD = 5


def _in_reporting_years(day: date) -> date:
    latest = date(utcnow().year + REPORTING_YEARS_AHEAD, 12, 31)
    if not REPORTING_EARLIEST <= day <= latest:
        raise ValueError(f"expected a date from {REPORTING_EARLIEST} to {latest}")
    return day


ReportingDate = Annotated[IsoDate, AfterValidator(_in_reporting_years)]
# Numbers only as JSON numbers: not "1", and not true or false.
JsonInt = Annotated[int, Strict()]
JsonNumber = Annotated[float, Strict()]


class PublicModel(BaseModel):
    """Base of every response model: attributes can be read straight from ORM rows."""

    model_config = ConfigDict(from_attributes=True)


class PartialDate(PublicModel):
    """A date as precisely as its source states it: 2020-03-05, 2020-03 or 2020."""

    value: str = Field(
        description="ISO 8601 to the stated precision: YYYY-MM-DD, YYYY-MM, YYYY, or a range "
        "between two days, YYYY-MM-DD/YYYY-MM-DD."
    )
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
        if stated is DatePrecision.RANGE:  # ISO 8601's interval: the days as the source bounds
            value = f"{day.isoformat()}/{latest.isoformat()}"
        elif stated is DatePrecision.DAY:
            value = day.isoformat()
        elif stated is DatePrecision.MONTH:
            value = f"{day.year:04d}-{day.month:02d}"
        else:
            value = f"{day.year:04d}"
        return cls(value=value, precision=stated, earliest=earliest, latest=latest)


# Joiners that some scripts need between letters (Persian, Devanagari, emoji sequences): the
# only invisible format characters free text may hold. Names hold none (`_plain_name`).
_SCRIPT_JOINERS = frozenset("\u200c\u200d")


def _unreadable(char: str) -> bool:
    """A character that changes what a reader sees without being seen (bidirectional controls,
    zero-width spaces, the byte order mark), a lone surrogate, or a noncharacter."""
    code = ord(char)
    category = unicodedata.category(char)
    return (
        (category == "Cf" and char not in _SCRIPT_JOINERS)
        or category == "Cs"
        or 0xFDD0 <= code <= 0xFDEF  # noqa: PLR2004
        or code & 0xFFFE == 0xFFFE  # noqa: PLR2004
    )


@cache
def _unreadable_anywhere() -> re.Pattern[str]:
    """Every unreadable character as one character class (built once, on first use): a body's
    text is searched in C, where a check per character cost a microsecond each."""
    codes = [code for code in range(0x80, sys.maxunicode + 1) if _unreadable(chr(code))]
    runs: list[tuple[int, int]] = []
    for code in codes:
        if runs and runs[-1][1] == code - 1:
            runs[-1] = (runs[-1][0], code)
        else:
            runs.append((code, code))
    spans = "".join(f"\\U{first:08x}-\\U{last:08x}" for first, last in runs)
    return re.compile(f"[{spans}]")


def check_text(text: str) -> None:
    """The one rule for free text: no NUL (PostgreSQL refuses it and SQLite keeps it, so the
    same request would mean different things per engine) and nothing unreadable, which on a
    page could reorder what a reader sees ("100\u202e000,1\u202c accounts")."""
    if "\x00" in text:
        raise ValueError("text must not contain NUL (U+0000) characters")
    if text.isascii():  # nothing unreadable is ASCII
        return
    hidden = sorted({f"U+{ord(c):04X}" for c in _unreadable_anywhere().findall(text)})
    if hidden:
        raise ValueError(
            f"text must not contain invisible or reordering characters ({', '.join(hidden)})"
        )


def _clean_texts(value: Any) -> Any:
    """Every text of a body, nested included, checked by `check_text`."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            check_text(item)
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list | tuple):
            pending.extend(item)
    return value


class InputModel(BaseModel):
    """Base of every request body: unknown fields are refused, never ignored; every text
    follows one rule (`check_text`)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _readable_texts(cls, data: Any) -> Any:
        return _clean_texts(data)


def _plain_name(value: str) -> str:
    """A name as people read it: NFKC-normalised (full-width and compatibility forms become
    their plain letters), with no invisible characters (bidirectional controls, zero-width
    spaces and joiners) that would make two different names look the same."""
    normalised = unicodedata.normalize("NFKC", value).strip()
    hidden = sorted({f"U+{ord(c):04X}" for c in normalised if unicodedata.category(c) == "Cf"})
    if hidden:
        raise ValueError(f"names must not contain invisible characters ({', '.join(hidden)})")
    if not normalised:
        raise ValueError("a name must have visible characters")
    return normalised


PlainName = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_plain_name)]


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
