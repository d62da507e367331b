"""Export tables of implementation updates: submitted updates (every revision), their public
entries, and each entry's measures, metrics and evidence."""

from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import col

from app.companies.models import Company
from app.core.db import AnySelect
from app.exports.columns import BY_COMPANY, BY_ENTRY, SLUG, Column, ForeignKey, Table, TableName
from app.principles.models import FrameworkVersion, Principle
from app.updates.models import (
    EntryEvidence,
    EntryMeasure,
    EntryMetric,
    ImplementationUpdate,
    UpdateEntry,
    UpdateState,
    Visibility,
)
from app.updates.queries import is_current


def _published() -> list[Any]:
    """Submitted updates (every revision: amendments are new rows that supersede)."""
    return [col(ImplementationUpdate.state) == UpdateState.SUBMITTED]


def _updates() -> AnySelect:
    update = ImplementationUpdate
    return (
        sa_select(
            col(update.id),
            col(Company.slug),
            col(FrameworkVersion.code),
            col(update.revision),
            col(update.period_start),
            col(update.period_end),
            col(update.submitted_at),
            col(update.summary),
            col(update.supersedes_id),
            is_current(),
        )
        .join(Company, col(Company.id) == update.company_id)
        .join(FrameworkVersion, col(FrameworkVersion.id) == update.framework_version_id)
        .where(*_published())
        .order_by(col(update.id))
    )


UPDATES = Table(
    TableName.UPDATES,
    "Submitted implementation updates, every revision",
    (
        Column("update_id", "integer", "The update's URL is /updates/{update_id}.", True),
        SLUG,
        Column("framework_version", "string", "The version reported against.", required=True),
        Column("revision", "integer", "1 for the first submission, +1 per amendment.", True),
        Column("period_start", "date", "First day of the period reported on.", required=True),
        Column("period_end", "date", "Last day of the period reported on.", required=True),
        Column("submitted_at", "datetime", "When it was submitted (UTC).", required=True),
        Column("summary", "string", "The company's summary."),
        Column("supersedes", "integer", "The update this amendment replaces."),
        Column("current", "boolean", "Not superseded by a later amendment.", required=True),
    ),
    ("update_id",),
    _updates,
    foreign_keys=(
        *BY_COMPANY,
        ForeignKey(("supersedes",), TableName.UPDATES, ("update_id",)),
    ),
)


def _public_entries(statement: AnySelect) -> AnySelect:
    """Public entries of submitted updates, ordered by update then entry (what nests them)."""
    update, entry = ImplementationUpdate, UpdateEntry
    return (
        statement.join(update, col(update.id) == entry.update_id)
        .where(*_published(), col(entry.visibility) == Visibility.PUBLIC)
        .order_by(col(entry.update_id), col(entry.id))
    )


UPDATE_ENTRIES = Table(
    TableName.UPDATE_ENTRIES,
    "The public entries of submitted updates, one per principle reported on",
    (
        Column("entry_id", "integer", "Identifier of the entry.", required=True),
        Column("update_id", "integer", "The update it belongs to.", required=True),
        Column("principle", "string", "Principle code, e.g. VP-01.", required=True),
        Column("status", "string", "What the company reports for the principle.", True),
        Column("narrative", "string", "The company's words."),
    ),
    ("entry_id",),
    lambda: _public_entries(
        sa_select(
            col(UpdateEntry.id),
            col(UpdateEntry.update_id),
            col(Principle.code),
            col(UpdateEntry.status),
            col(UpdateEntry.narrative),
        ).join(Principle, col(Principle.id) == UpdateEntry.principle_id)
    ),
    foreign_keys=(ForeignKey(("update_id",), TableName.UPDATES, ("update_id",)),),
)


def _of_entries(child: Any, *columns: Any) -> AnySelect:
    statement = sa_select(*columns).join(UpdateEntry, col(UpdateEntry.id) == child.entry_id)
    return _public_entries(statement).order_by(col(child.id))


ENTRY_MEASURES = Table(
    TableName.ENTRY_MEASURES,
    "Measures an entry reports, from the registry's controlled vocabulary",
    (
        Column("entry_id", "integer", "The entry (update-entries.entry_id).", required=True),
        Column("measure", "string", "A measure of the vocabulary.", required=True),
        Column("detail", "string", "The company's detail."),
    ),
    ("entry_id", "measure"),
    lambda: _of_entries(
        EntryMeasure,
        col(EntryMeasure.entry_id),
        col(EntryMeasure.measure),
        col(EntryMeasure.detail),
    ),
    foreign_keys=BY_ENTRY,
)

ENTRY_METRICS = Table(
    TableName.ENTRY_METRICS,
    "Outcome numbers an entry reports, each with its unit and period",
    (
        Column("metric_id", "integer", "Identifier of the metric.", required=True),
        Column("entry_id", "integer", "The entry (update-entries.entry_id).", required=True),
        Column("name", "string", "What was counted.", required=True),
        Column("value", "number", "The number.", required=True),
        Column("unit", "string", "Its unit.", required=True),
        Column("period_start", "date", "First day counted.", required=True),
        Column("period_end", "date", "Last day counted.", required=True),
    ),
    ("metric_id",),
    lambda: _of_entries(
        EntryMetric,
        col(EntryMetric.id),
        col(EntryMetric.entry_id),
        col(EntryMetric.name),
        col(EntryMetric.value),
        col(EntryMetric.unit),
        col(EntryMetric.period_start),
        col(EntryMetric.period_end),
    ),
    foreign_keys=BY_ENTRY,
)

ENTRY_EVIDENCE = Table(
    TableName.ENTRY_EVIDENCE,
    "Public links an entry gives as evidence",
    (
        Column("evidence_id", "integer", "Identifier of the link.", required=True),
        Column("entry_id", "integer", "The entry (update-entries.entry_id).", required=True),
        Column("url", "string", "An https link.", required=True),
        Column("title", "string", "Its title."),
    ),
    ("evidence_id",),
    lambda: _of_entries(
        EntryEvidence,
        col(EntryEvidence.id),
        col(EntryEvidence.entry_id),
        col(EntryEvidence.url),
        col(EntryEvidence.title),
    ),
    foreign_keys=BY_ENTRY,
)
