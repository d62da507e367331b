"""The public data as NDJSON documents: one JSON record per line, with arrays and nested objects
(a company with its sectors and former names; an update with its entries, and each entry with its
measures, metrics and evidence). Built from the tidy tables' rows (app/exports/tables.py), which
come in key order, by merging each child table into its parent as the rows stream past: memory
holds one parent's children at a time, however large the export."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlmodel import Session

from app.exports.columns import TableName
from app.exports.tables import TABLES, table_rows

Record = dict[str, Any]


class DocumentName(StrEnum):
    COMPANIES = "companies"
    ENDORSEMENT_EVENTS = "endorsement-events"
    UPDATES = "updates"


class _Children:
    """A child table's records, in the same key order as their parents', handed out per parent."""

    def __init__(self, records: Iterator[Record], key: str) -> None:
        self.records, self.key = records, key
        self.next: Record | None = next(records, None)

    def of(self, parent_key: Any) -> list[Record]:
        found = []
        while self.next is not None and self.next[self.key] == parent_key:
            found.append({k: v for k, v in self.next.items() if k != self.key})
            self.next = next(self.records, None)
        return found


def _records(session: Session, name: TableName) -> Iterator[Record]:
    columns = [column.name for column in TABLES[name].columns]
    return (dict(zip(columns, values, strict=True)) for values in table_rows(session, name))


def _companies(session: Session) -> Iterator[Record]:
    sectors = _Children(_records(session, TableName.COMPANY_SECTORS), "company")
    former = _Children(_records(session, TableName.FORMER_NAMES), "company")
    for company in _records(session, TableName.COMPANIES):
        slug = company["slug"]
        yield company | {
            "sectors": [row["sector"] for row in sectors.of(slug)],
            "former_names": former.of(slug),
        }


def _updates(session: Session) -> Iterator[Record]:
    entries = _Children(_records(session, TableName.UPDATE_ENTRIES), "update_id")
    measures = _Children(_records(session, TableName.ENTRY_MEASURES), "entry_id")
    metrics = _Children(_records(session, TableName.ENTRY_METRICS), "entry_id")
    evidence = _Children(_records(session, TableName.ENTRY_EVIDENCE), "entry_id")
    for update in _records(session, TableName.UPDATES):
        nested = [
            entry | {
                "measures": measures.of(entry["entry_id"]),
                "metrics": metrics.of(entry["entry_id"]),
                "evidence": evidence.of(entry["entry_id"]),
            }
            for entry in entries.of(update["update_id"])
        ]  # fmt: skip
        yield update | {"entries": nested}


def _events(session: Session) -> Iterator[Record]:
    return _records(session, TableName.ENDORSEMENT_EVENTS)


@dataclass(frozen=True)
class Document:
    name: DocumentName
    records: Callable[[Session], Iterator[Record]]


DOCUMENTS = {
    DocumentName.COMPANIES: Document(DocumentName.COMPANIES, _companies),
    DocumentName.ENDORSEMENT_EVENTS: Document(DocumentName.ENDORSEMENT_EVENTS, _events),
    DocumentName.UPDATES: Document(DocumentName.UPDATES, _updates),
}
