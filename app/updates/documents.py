"""Each submitted update as the API serves it, stored per audience (the `update_document` read
model): with its public entries (everyone) and with every entry (government and administrator
keys), beside the list's order (current or superseded, period end). A page of the update list is
its index and its rows instead of loading every update and entry through the ORM (~20 ms a page
at 100,000 updates).

Kept in the writing transaction, as the company documents are: a flush that writes an update, an
entry or an entry's part marks the update (a submitted amendment also marks the update it
replaces, now superseded); the marked documents are rendered from the session's own view just
before the transaction commits; drafts have none. A flush that touches a framework version or a
principle (their codes are in every update) renders every document again. `rebuild` renders
them all (`vpr rebuild`, bulk loads); a test checks them against a fresh rendering after random
writes.
"""

from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, event, select
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, col

from app.changes import clock
from app.core.db import replace_rendered
from app.principles.models import FrameworkVersion, Principle
from app.updates.models import (
    EntryEvidence,
    EntryMeasure,
    EntryMetric,
    ImplementationUpdate,
    UpdateDocument,
    UpdateEntry,
    UpdateRestrictedDocument,
    UpdateState,
    Visibility,
)
from app.updates.queries import submitted_views
from app.updates.schemas import UpdateRead

_PENDING = "vpr_update_documents_pending"
_PENDING_ENTRIES = "vpr_update_documents_pending_entries"
_EVERY = "vpr_update_documents_all"
_FRAMEWORK_WIDE = (FrameworkVersion, Principle)
_ENTRY_PARTS = (EntryMeasure, EntryMetric, EntryEvidence)


@event.listens_for(OrmSession, "after_flush")
def _note_changes(session: OrmSession, _context: Any) -> None:
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(isinstance(row, _FRAMEWORK_WIDE) for row in changed):
        session.info[_EVERY] = True
    pending: set[int] = session.info.setdefault(_PENDING, set())
    entries: set[int] = session.info.setdefault(_PENDING_ENTRIES, set())
    for row in changed:
        if isinstance(row, ImplementationUpdate) and row.state == UpdateState.SUBMITTED:
            pending.update(i for i in (row.id, row.supersedes_id) if i is not None)
        elif isinstance(row, UpdateEntry):
            pending.add(row.update_id)
        elif isinstance(row, _ENTRY_PARTS):
            entries.add(row.entry_id)


@event.listens_for(OrmSession, "before_commit")
def render_marked(session: OrmSession) -> None:
    """Render what this transaction marked (before it commits; the tests' factories, whose
    arranged rows are never committed, call it themselves)."""
    bound: Session = session  # type: ignore[assignment]  # the app's sessions are SQLModel's
    pending: set[int] = session.info.pop(_PENDING, set())
    entries: set[int] = session.info.pop(_PENDING_ENTRIES, set())
    if session.info.pop(_EVERY, False):
        rebuild(bound)
        return
    if entries:
        owners = select(col(UpdateEntry.update_id)).where(col(UpdateEntry.id).in_(sorted(entries)))
        pending.update(bound.execute(owners).scalars())
    if pending:
        store(bound, sorted(pending))


@event.listens_for(OrmSession, "after_rollback")
def _forget_marked(session: OrmSession) -> None:
    for name in (_PENDING, _PENDING_ENTRIES, _EVERY):
        session.info.pop(name, None)


_KEYS = (col(UpdateDocument.update_id), col(UpdateRestrictedDocument.update_id))  # both audiences


def store(session: Session, update_ids: Iterable[int]) -> int:
    """Render and store these updates' documents (replacing what was there; a draft gets none);
    how many were stored."""
    stored = replace_rendered(session, _KEYS, update_ids, rendered)
    clock.move_order(session, clock.ListOrder.UPDATES)  # the update list's order may have moved
    return stored


def rendered(session: Session, update_ids: list[int]) -> list[dict[str, Any]]:
    """The document rows of those of these updates that are submitted, as the session sees
    them (not stored): what a bulk load renders in other processes (bench/documents.py)."""
    rows = []
    for update_id, view in submitted_views(session, update_ids).items():
        shown = UpdateRead.of(view)
        public = [entry for entry in shown.entries if entry.visibility == Visibility.PUBLIC]
        public_body = shown.model_copy(update={"entries": public}).model_dump_json()
        rows.append(
            {
                "update_id": update_id,
                "current": view.superseded_by is None,
                "period_end": view.update.period_end,
                "public_body": public_body.encode(),
                "restricted_body": shown.model_dump_json().encode(),
            }
        )
    return rows


def rebuild(session: Session) -> int:
    """Every submitted update's documents, rendered again; how many."""
    for model in (UpdateDocument, UpdateRestrictedDocument):
        session.execute(delete(model))
    submitted = (
        select(col(ImplementationUpdate.id))
        .where(col(ImplementationUpdate.state) == UpdateState.SUBMITTED)
        .order_by(col(ImplementationUpdate.id))
    )
    return store(session, session.execute(submitted).scalars())


def fill(session: Session) -> int:
    """The documents of submitted updates that have none (after the migration that added them);
    how many were rendered."""
    missing = (
        select(col(ImplementationUpdate.id))
        .outerjoin(UpdateDocument, col(UpdateDocument.update_id) == ImplementationUpdate.id)
        .where(
            col(ImplementationUpdate.state) == UpdateState.SUBMITTED,
            col(UpdateDocument.update_id).is_(None),
        )
        .order_by(col(ImplementationUpdate.id))
    )
    return store(session, session.execute(missing).scalars().all())
