"""Bulk exports of the public data: streamed row by row, so memory stays flat as data grows."""

import csv
import hashlib
import io
import json
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from app.companies.models import Company, CompanyFormerName, CompanySector
from app.core.db import AnySelect
from app.core.schemas import PartialDate
from app.endorsements.models import EndorsementEvent, status_after
from app.endorsements.queries import with_status
from app.milestones.models import Milestone
from app.principles.models import FrameworkVersion, Principle
from app.updates.models import (
    EntryMeasure,
    ImplementationUpdate,
    UpdateEntry,
    UpdateState,
    Visibility,
)
from app.updates.queries import is_current

BATCH = 1000  # rows fetched per round trip; the server-side cursor keeps the rest


class Dataset(StrEnum):
    COMPANIES = "companies"
    ENDORSEMENT_EVENTS = "endorsement-events"
    UPDATES = "updates"


class Format(StrEnum):
    CSV = "csv"
    NDJSON = "ndjson"


def _joined(column: Any, where: Any) -> Any:
    """Correlated subquery: the values of a child column joined with '; ' (see _sorted)."""
    return sa_select(func.aggregate_strings(column, "; ")).where(where).scalar_subquery()


def _sorted(joined: str | None) -> str:
    """Aggregates come in no set order: sorting makes an export and its checksum agree."""
    return "; ".join(sorted(joined.split("; "))) if joined else ""


def _companies() -> tuple[list[str], AnySelect]:
    statement, _ = with_status(sa_select(Company))
    statement = statement.add_columns(
        _joined(col(CompanyFormerName.name), col(CompanyFormerName.company_id) == Company.id),
        _joined(col(CompanySector.sector), col(CompanySector.company_id) == Company.id),
    ).order_by(col(Company.slug))
    columns = [
        "slug", "name", "former_names", "country", "sectors", "website", "status",
        "endorsed_on", "endorsed_on_precision", "endorsement_source_url", "drafter",
    ]  # fmt: skip
    return columns, statement


def _company_row(row: Any) -> list[Any]:
    company, latest, endorsed, former, sectors = row
    return [
        company.slug, company.name, _sorted(former), company.country, _sorted(sectors),
        company.website, status_after(latest).value,
        PartialDate.of(endorsed.occurred_on, endorsed.date_precision).value if endorsed else None,
        endorsed.date_precision if endorsed else None,
        endorsed.source_url if endorsed else None,
        bool(endorsed and endorsed.drafter),
    ]  # fmt: skip


def _events() -> tuple[list[str], AnySelect]:
    event = EndorsementEvent
    statement = (
        sa_select(
            col(Company.slug),
            col(event.kind),
            col(event.occurred_on),
            col(event.date_precision),
            col(event.source_url),
            col(event.drafter),
            col(event.note),
            col(Milestone.slug),
            col(FrameworkVersion.code),
            col(event.recorded_at),
        )
        .join(Company, col(Company.id) == event.company_id)
        .join(FrameworkVersion, col(FrameworkVersion.id) == event.framework_version_id)
        .outerjoin(Milestone, col(Milestone.id) == event.milestone_id)
        .order_by(col(event.occurred_on), col(event.id))
    )
    columns = [
        "company", "kind", "occurred_on", "precision", "source_url", "drafter", "note",
        "milestone", "framework_version", "recorded_at",
    ]  # fmt: skip
    return columns, statement


def _event_row(row: Any) -> list[Any]:
    slug, kind, occurred_on, precision, *rest = row
    return [slug, kind, PartialDate.of(occurred_on, precision).value, precision, *rest]


def _updates() -> tuple[list[str], AnySelect]:
    """Public entries of current submitted updates: the public view."""
    update, entry = ImplementationUpdate, UpdateEntry
    statement = (
        sa_select(
            col(update.id),
            col(Company.slug),
            col(FrameworkVersion.code),
            col(update.revision),
            col(update.period_start),
            col(update.period_end),
            col(update.submitted_at),
            col(Principle.code),
            col(entry.status),
            col(entry.narrative),
            _joined(col(EntryMeasure.measure), col(EntryMeasure.entry_id) == entry.id),
        )
        .join(update, col(update.id) == entry.update_id)
        .join(Company, col(Company.id) == update.company_id)
        .join(FrameworkVersion, col(FrameworkVersion.id) == update.framework_version_id)
        .join(Principle, col(Principle.id) == entry.principle_id)
        .where(
            col(update.state) == UpdateState.SUBMITTED,
            col(entry.visibility) == Visibility.PUBLIC,
            is_current(),
        )
        .order_by(col(update.id), col(Principle.position))
    )
    columns = [
        "update_id", "company", "framework_version", "revision", "period_start", "period_end",
        "submitted_at", "principle", "status", "narrative", "measures",
    ]  # fmt: skip
    return columns, statement


def _update_row(row: Any) -> list[Any]:
    *fields, measures = row
    return [*fields, _sorted(measures)]


@dataclass(frozen=True)
class Spec:
    build: Any
    row: Any


SPECS = {
    Dataset.COMPANIES: Spec(_companies, _company_row),
    Dataset.ENDORSEMENT_EVENTS: Spec(_events, _event_row),
    Dataset.UPDATES: Spec(_updates, _update_row),
}

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A spreadsheet must not run a cell as a formula: such cells get a leading apostrophe."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "isoformat"):
        text = value.isoformat()
        return text.replace("+00:00", "Z")
    return str(value)


def rows(session: Session, dataset: Dataset) -> tuple[list[str], Iterator[list[Any]]]:
    spec = SPECS[dataset]
    columns, statement = spec.build()
    result = session.execute(statement.execution_options(yield_per=BATCH))
    return columns, ([_plain(v) for v in spec.row(row)] for row in result)


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
        columns, data = rows(session, dataset)
        _checksums[key] = digest(encode(columns, data, fmt))
        while len(_checksums) > CHECKSUMS_KEPT:
            _checksums.popitem(last=False)
    return _checksums[key]
