"""Bulk exports of the public data as CSV or NDJSON: encoded a line at a time, so memory stays
flat as data grows, and checksummed once per data version."""

import csv
import hashlib
import io
import json
from collections import OrderedDict
from collections.abc import Iterator
from enum import StrEnum
from typing import Any

from sqlmodel import Session

from app.exports.queries import Dataset, rows


class Format(StrEnum):
    CSV = "csv"
    NDJSON = "ndjson"


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A spreadsheet must not run a cell as a formula: such cells get a leading apostrophe."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def encode(columns: list[str], data: Iterator[list[Any]], fmt: Format) -> Iterator[bytes]:
    """The export's bytes, a line at a time."""
    if fmt is Format.NDJSON:
        for values in data:
            line = json.dumps(dict(zip(columns, values, strict=True)), ensure_ascii=False)
            yield (line + "\n").encode()
        return
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for values in data:
        writer.writerow([csv_cell(v) for v in values])
        yield buffer.getvalue().encode()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode()


def export_lines(session: Session, dataset: Dataset, fmt: Format) -> Iterator[bytes]:
    """The export's bytes a line at a time, read as the lines are made."""
    columns, data = rows(session, dataset)
    return encode(columns, data, fmt)


CHUNK = 64 * 1024


def chunked(pieces: Iterator[bytes], size: int = CHUNK) -> Iterator[bytes]:
    """Lines gathered into ~64 KiB chunks: one thread hop per chunk, not per row."""
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


def digest(chunks: Iterator[bytes]) -> tuple[str, int]:
    sha, size = hashlib.sha256(), 0
    for chunk in chunks:
        sha.update(chunk)
        size += len(chunk)
    return sha.hexdigest(), size


# An export is the same bytes for one data version: its checksum is computed once per version
# (per database, as tests run several in one process) and kept for the handful asked for.
_checksums: OrderedDict[tuple[str, Dataset, Format, str], tuple[str, int]] = OrderedDict()
CHECKSUMS_KEPT = 32  # datasets x formats x a few data versions


def checksum(session: Session, dataset: Dataset, fmt: Format, data_version: str) -> tuple[str, int]:
    """SHA-256 and size of the export at this data version."""
    key = (str(session.get_bind().engine.url), dataset, fmt, data_version)
    if key not in _checksums:
        _checksums[key] = digest(export_lines(session, dataset, fmt))
        while len(_checksums) > CHECKSUMS_KEPT:
            _checksums.popitem(last=False)
    return _checksums[key]
