"""The public datasets as queries: companies, endorsement events, and the public entries of
current submitted updates, one row per line of an export, streamed from a server-side cursor."""

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
from app.endorsements.models import EndorsementEvent, EndorsementRetraction, status_after
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
        "endorsed_on", "endorsed_on_precision", "endorsement_source_url", "consulted_in_drafting",
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
        bool(endorsed and endorsed.consulted_in_drafting),
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
            col(event.consulted_in_drafting),
            col(event.note),
            col(Milestone.slug),
            col(FrameworkVersion.code),
            col(event.recorded_at),
            col(event.earliest_on),
            col(event.latest_on),
            col(EndorsementRetraction.reason),
        )
        .join(Company, col(Company.id) == event.company_id)
        .join(FrameworkVersion, col(FrameworkVersion.id) == event.framework_version_id)
        .outerjoin(Milestone, col(Milestone.id) == event.milestone_id)
        .outerjoin(EndorsementRetraction, col(EndorsementRetraction.event_id) == event.id)
        .order_by(col(event.earliest_on), col(event.id))
    )
    # earliest/latest: the days the stated date can mean (never before the publication);
    # retracted: the reason, when the event was recorded by mistake and no longer counts.
    columns = [
        "company", "kind", "occurred_on", "precision", "source_url", "consulted_in_drafting",
        "note", "milestone", "framework_version", "recorded_at", "earliest", "latest", "retracted",
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
