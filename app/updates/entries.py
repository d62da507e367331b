"""Entries read to be shown or copied, with their parts (measures, metrics, evidence), as plain
rows: reading 20,000 entries as ORM objects, each with three collections set by `selectinload`,
was three quarters of rendering 1,000 updates (measured: bench.generate's update documents)."""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Row
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from app.principles.models import Principle
from app.updates.models import (
    EntryEvidence,
    EntryMeasure,
    EntryMetric,
    ImplementationUpdate,
    UpdateEntry,
)

_PARTS = (EntryMeasure, EntryMetric, EntryEvidence)


@dataclass(frozen=True)
class EntryShown:
    """An entry's fields and its parts, each part list in the order it was written."""

    status: str
    narrative: str | None
    visibility: str
    measures: list[Row[Any]]
    metrics: list[Row[Any]]
    evidence: list[Row[Any]]


def entries_of(
    session: Session, visible: ColumnElement[bool], update_ids: list[int]
) -> dict[int, list[tuple[EntryShown, str]]]:
    """The visible entries of these updates, by update, in principle order, each with its
    principle's code: four statements however many."""
    if not update_ids:
        return {}
    statement = (
        sa_select(
            col(UpdateEntry.id),
            col(UpdateEntry.update_id),
            col(UpdateEntry.status),
            col(UpdateEntry.narrative),
            col(UpdateEntry.visibility),
            col(Principle.code),
        )
        .join(Principle, col(Principle.id) == UpdateEntry.principle_id)
        .join(ImplementationUpdate, col(ImplementationUpdate.id) == UpdateEntry.update_id)
        .where(col(UpdateEntry.update_id).in_(update_ids), visible)
        .order_by(col(Principle.position))
    )
    rows = session.execute(statement).all()
    measures, metrics, evidence = (_parts(session, part, update_ids) for part in _PARTS)
    grouped: dict[int, list[tuple[EntryShown, str]]] = defaultdict(list)
    for row in rows:
        parts = (found.get(row.id, []) for found in (measures, metrics, evidence))
        shown = EntryShown(row.status, row.narrative, row.visibility, *parts)
        grouped[row.update_id].append((shown, row.code))
    return grouped


def _parts(session: Session, part: Any, update_ids: list[int]) -> dict[int, list[Row[Any]]]:
    """The part's rows of every entry of these updates, by entry: named by the updates (a
    thousand parameters), not by the entries (ten thousand, which cost more to send than to
    read); the entries not shown are never looked up."""
    table = part.__table__
    of_updates = sa_select(col(UpdateEntry.id)).where(col(UpdateEntry.update_id).in_(update_ids))
    statement = sa_select(table).where(table.c.entry_id.in_(of_updates)).order_by(table.c.id)
    found: dict[int, list[Row[Any]]] = defaultdict(list)
    for row in session.execute(statement):
        found[row.entry_id].append(row)
    return found
