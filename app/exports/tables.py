"""The public data as tidy tables: one table per kind of row, keyed so that they join.

The CSV exports, the NDJSON documents (the same rows, nested: app/exports/documents.py) and the
data package's descriptor (app/exports/package.py) all come from these definitions, so they
cannot disagree about a column.
"""

from collections.abc import Iterator
from typing import Any

from sqlmodel import Session

from app.exports.columns import TableName
from app.exports.company_tables import COMPANIES, COMPANY_SECTORS, ENDORSEMENT_EVENTS, FORMER_NAMES
from app.exports.update_tables import (
    ENTRY_EVIDENCE,
    ENTRY_MEASURES,
    ENTRY_METRICS,
    UPDATE_ENTRIES,
    UPDATES,
)

BATCH = 1000  # rows fetched per round trip; a server-side cursor keeps the rest

TABLES = {
    table.name: table
    for table in (
        COMPANIES,
        COMPANY_SECTORS,
        FORMER_NAMES,
        ENDORSEMENT_EVENTS,
        UPDATES,
        UPDATE_ENTRIES,
        ENTRY_MEASURES,
        ENTRY_METRICS,
        ENTRY_EVIDENCE,
    )
}


def _plain(value: Any) -> Any:
    """JSON's and CSV's form of a value: dates in ISO 8601, times in UTC with a Z."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat().replace("+00:00", "Z")
    return str(value)


def table_rows(session: Session, name: TableName) -> Iterator[list[Any]]:
    """The table's rows in key order, streamed from a server-side cursor."""
    table = TABLES[name]
    result = session.execute(table.query().execution_options(yield_per=BATCH))
    return ([_plain(value) for value in table.row(row)] for row in result)
