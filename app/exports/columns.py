"""What an export table is: its columns (name, Table Schema type, description), its keys, and
the query that reads its rows in key order (see app/exports/tables.py)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from app.core.db import AnySelect
from app.core.schemas import PartialDate


class TableName(StrEnum):
    COMPANIES = "companies"
    COMPANY_SECTORS = "company-sectors"
    FORMER_NAMES = "former-names"
    ENDORSEMENT_EVENTS = "endorsement-events"
    UPDATES = "updates"
    UPDATE_ENTRIES = "update-entries"
    ENTRY_MEASURES = "entry-measures"
    ENTRY_METRICS = "entry-metrics"
    ENTRY_EVIDENCE = "entry-evidence"


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a Table Schema type: string, integer, number, boolean, date, datetime
    description: str
    required: bool = False


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    table: TableName
    reference: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    name: TableName
    title: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    query: Callable[[], AnySelect]
    row: Callable[[Any], list[Any]] = list
    foreign_keys: tuple[ForeignKey, ...] = field(default=())


def partial(day: Any, precision: str | None, last: Any = None) -> str | None:
    """A date as its source states it; a range's last day is `last`."""
    if day is None or not precision:
        return None
    interval = (day, last) if precision == "range" else None
    return PartialDate.of(day, precision, interval).value


SLUG = Column("company", "string", "The company's slug (companies.slug).", required=True)
STATED = (
    "As the source states it: YYYY-MM-DD, YYYY-MM, YYYY, or a range between two days, "
    "YYYY-MM-DD/YYYY-MM-DD (see the precision column)."
)
PRECISION = "day, month, year or range."
BY_COMPANY = (ForeignKey(("company",), TableName.COMPANIES, ("slug",)),)
BY_ENTRY = (ForeignKey(("entry_id",), TableName.UPDATE_ENTRIES, ("entry_id",)),)
