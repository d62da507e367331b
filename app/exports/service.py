"""Bulk exports of the public data: tidy CSV tables, NDJSON documents, and the data package that
describes the tables. Encoded a line at a time (memory stays flat as data grows) into files kept
per public data version (app/exports/store.py)."""

import csv
import hashlib
import io
import json
import unicodedata
from collections.abc import Iterator
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends
from sqlmodel import Session

from app.core.config import get_settings
from app.core.db import EngineDep, Snapshots
from app.exports.columns import TableName
from app.exports.documents import DOCUMENTS, DocumentName
from app.exports.store import ExportStore, Produce, Stored
from app.exports.tables import TABLES, table_rows


class Format(StrEnum):
    CSV = "csv"
    NDJSON = "ndjson"


FORMULA_STARTS = frozenset("=+-@")
CONTROL_STARTS = ("\t", "\r")
# What a spreadsheet may skip before a formula: spaces, line breaks and invisible characters.
_SKIPPED = " \t\r\n\ufeff\u200b\u2060"
CHUNK = 64 * 1024


def csv_cell(value: Any) -> Any:
    """A spreadsheet must not run a cell as a formula: such cells get a leading apostrophe.
    A formula may hide behind a space or a byte order mark, or be written in full-width forms
    (U+FF1D, U+FF0B) that spreadsheets read as their plain signs.
    (CSV only: NDJSON is read by programs, and keeps the company's words as written.)"""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and _runs_as_formula(value):
        return "'" + value
    return value


def _runs_as_formula(text: str) -> bool:
    first = text.lstrip(_SKIPPED)[:1]
    return text.startswith(CONTROL_STARTS) or unicodedata.normalize("NFKC", first) in FORMULA_STARTS


def csv_lines(columns: list[str], rows: Iterator[list[Any]]) -> Iterator[bytes]:
    """The header row, always (a table with no rows is still a table of these columns), then
    each row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    yield buffer.getvalue().encode()
    for values in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([csv_cell(v) for v in values])
        yield buffer.getvalue().encode()


def ndjson_lines(records: Iterator[dict[str, Any]]) -> Iterator[bytes]:
    for record in records:
        yield (json.dumps(record, ensure_ascii=False) + "\n").encode()


def chunked(pieces: Iterator[bytes], size: int = CHUNK) -> Iterator[bytes]:
    """Lines gathered into ~64 KiB chunks: one write per chunk, not per row."""
    buffer: list[bytes] = []
    held = 0
    for piece in pieces:
        buffer.append(piece)
        held += len(piece)
        if held >= size:
            yield b"".join(buffer)
            buffer, held = [], 0
    if buffer:
        yield b"".join(buffer)


def table_csv(name: TableName) -> Produce:
    columns = [column.name for column in TABLES[name].columns]
    return lambda session: chunked(csv_lines(columns, table_rows(session, name)))


def document_ndjson(name: DocumentName) -> Produce:
    return lambda session: chunked(ndjson_lines(DOCUMENTS[name].records(session)))


@cache
def _store_at(directory: Path) -> ExportStore:
    return ExportStore(directory)


def get_export_store(engine: EngineDep) -> ExportStore:
    """The directory of stored exports of this database (a process may serve several)."""
    url = engine.url.render_as_string(hide_password=True)
    tag = hashlib.sha256(url.encode()).hexdigest()[:16]
    return _store_at(Path(get_settings().data_dir) / "exports" / tag)


ExportStoreDep = Annotated[ExportStore, Depends(get_export_store)]


def csv_files(
    store: ExportStore, session: Session, snapshots: Snapshots, names: list[TableName]
) -> dict[str, Stored]:
    wanted = {f"{name.value}.csv": table_csv(name) for name in names}
    return store.files(session, snapshots, wanted)


def ndjson_file(
    store: ExportStore, session: Session, snapshots: Snapshots, name: DocumentName
) -> Stored:
    file_name = f"{name.value}.ndjson"
    return store.files(session, snapshots, {file_name: document_ndjson(name)})[file_name]
