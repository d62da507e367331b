"""The write workflow of implementation updates: draft, edit, submit, amend, batch.

The company always comes from the caller's key. A submitted update is never changed: an
amendment is a new draft revision that supersedes it once submitted. Each write is one
transaction (`@transactional`, or `idempotency.run_once` for creates, which records the key's
answer in the same transaction) and returns the update as read inside it.
"""

from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, SQLModel, col, select

from app.access import Principal, update_audience
from app.audit import service as audit
from app.core.db import transactional
from app.core.errors import ConflictError, FieldProblem, InvalidRequestError, NotFoundError
from app.core.etags import Versioned, etag, require_if_match
from app.core.types import utcnow
from app.core.urls import update_url
from app.principles.models import FrameworkVersion, Principle
from app.principles.service import resolve_version
from app.updates import published, queries
from app.updates.idempotency import Outcome, run_once
from app.updates.models import (
    EntryEvidence,
    EntryMeasure,
    EntryMetric,
    ImplementationUpdate,
    UpdateEntry,
    UpdateState,
)
from app.updates.queries import entries_as_input, get_updates, read_update, update_etag
from app.updates.rules import check_cycle, check_submittable
from app.updates.schemas import (
    EntryInput,
    UpdateBatchCreate,
    UpdateBatchRead,
    UpdateChange,
    UpdateCreate,
    UpdateRead,
)


def snapshot(
    update: ImplementationUpdate, entries: list[EntryInput] | None = None
) -> dict[str, Any]:
    state = {
        "company_id": update.company_id,
        "framework_version_id": update.framework_version_id,
        "period_start": update.period_start,
        "period_end": update.period_end,
        "summary": update.summary,
        "state": update.state,
        "revision": update.revision,
        "supersedes_id": update.supersedes_id,
        "reporting_cycle_id": update.reporting_cycle_id,
    }
    if entries is not None:
        state["entries"] = [e.model_dump(mode="json") for e in entries]
    return state


def _principle_ids(
    session: Session, version: FrameworkVersion, entries: list[EntryInput], where: str
) -> list[int]:
    codes = {
        code.upper(): pid
        for pid, code in session.exec(
            select(Principle.id, Principle.code).where(Principle.framework_version_id == version.id)
        )
    }
    missing = [
        FieldProblem(
            location=[where, "entries", index, "principle"],
            detail=f"{entry.principle!r} is not a principle of framework version {version.code}",
            type="unknown_principle",
        )
        for index, entry in enumerate(entries)
        if entry.principle.upper() not in codes
    ]
    if missing:
        raise InvalidRequestError("Some entries name unknown principles; see errors.", missing)
    return [codes[entry.principle.upper()] or 0 for entry in entries]


def _replace_entries(
    session: Session, update: ImplementationUpdate, entries: list[EntryInput], where: str
) -> None:
    version = session.get(FrameworkVersion, update.framework_version_id)
    assert version is not None  # noqa: S101 - guaranteed by the foreign key
    principle_ids = _principle_ids(session, version, entries, where)
    old = select(UpdateEntry.id).where(UpdateEntry.update_id == update.id)
    for child in (EntryMeasure, EntryMetric, EntryEvidence):
        session.execute(delete(child).where(col(child.entry_id).in_(old)))
    session.execute(delete(UpdateEntry).where(col(UpdateEntry.update_id) == update.id))
    for entry, principle_id in zip(entries, principle_ids, strict=True):
        row = UpdateEntry(
            update_id=update.id or 0,
            framework_version_id=update.framework_version_id,
            principle_id=principle_id,
            status=entry.status,
            narrative=entry.narrative,
            visibility=entry.visibility,
        )
        session.add(row)
        session.flush()
        children: list[tuple[type[SQLModel], list[Any]]] = [
            (EntryMeasure, entry.measures),
            (EntryMetric, entry.metrics),
            (EntryEvidence, entry.evidence),
        ]
        for model, items in children:
            session.add_all([model(entry_id=row.id, **item.model_dump()) for item in items])


def _add_draft(
    session: Session, principal: Principal, body: UpdateCreate, where: str
) -> ImplementationUpdate:
    version = resolve_version(session, body.framework_version)
    check_cycle(session, principal, body.reporting_cycle, where)
    update = ImplementationUpdate(
        company_id=principal.company_id or 0,
        framework_version_id=version.id or 0,
        period_start=body.period_start,
        period_end=body.period_end,
        summary=body.summary,
        reporting_cycle_id=body.reporting_cycle,
    )
    session.add(update)
    session.flush()
    _replace_entries(session, update, body.entries, where)
    return update


def _public_state(
    session: Session, update: ImplementationUpdate, shown: UpdateRead | None
) -> dict[str, Any]:
    """What the log records of a submitted update: from the answer already read, if any."""
    if shown is not None:
        return queries.public_document_of(shown)
    return queries.public_document(session, update.id or 0)


def _record(
    session: Session, principal: Principal, action: str, update: ImplementationUpdate, **kw: Any
) -> None:
    submitted = update.state == UpdateState.SUBMITTED
    audit.record(
        session,
        actor=principal.actor,
        action=action,
        resource_type="update",
        resource_id=update.id or 0,
        url=update_url(update.id or 0),
        audience=update_audience(submitted),
        owner=update.company_id,
        before=kw.get("before"),
        after=snapshot(update, kw.get("entries")),
        public_state=_public_state(session, update, kw.get("shown")) if submitted else None,
    )


def create_draft(
    session: Session, principal: Principal, body: UpdateCreate, idempotency_key: str | None
) -> Outcome:
    """Add a draft for the caller's company: 201 with the draft, replayed for a repeated key."""

    def write() -> Outcome:
        update = _add_draft(session, principal, body, "body")
        _record(session, principal, "update.created", update, entries=body.entries)
        created = read_update(session, principal, update.id or 0)
        headers = {"Location": created.body.url, "ETag": etag(created.version)}
        return Outcome(201, created.body.model_dump(mode="json"), headers)

    payload = body.model_dump(mode="json")
    return run_once(session, principal.company_id or 0, idempotency_key, payload, write)


def create_batch(
    session: Session, principal: Principal, batch: UpdateBatchCreate, idempotency_key: str | None
) -> Outcome:
    """Create and submit every item, or none: errors come back keyed by item."""

    def write() -> Outcome:
        ids: list[int] = []
        for index, body in enumerate(batch.updates):
            update = _add_draft(session, principal, body, f"updates.{index}")
            check_submittable(session, update, utcnow().date(), f"updates.{index}")
            _submit(update)
            _record(session, principal, "update.submitted", update, entries=body.entries)
            ids.append(update.id or 0)
        published.refresh(session, principal.company_id or 0)
        created = UpdateBatchRead(
            updates=[UpdateRead.of(v) for v in get_updates(session, principal, ids)]
        )
        return Outcome(201, created.model_dump(mode="json"))

    payload = batch.model_dump(mode="json")
    return run_once(session, principal.company_id or 0, idempotency_key, payload, write)


def owned_update(
    session: Session, principal: Principal, update_id: int, *, lock: bool = False
) -> ImplementationUpdate:
    """The caller's own update; another company's is answered as not found. `lock` holds its row
    until the transaction ends, as `company_by_slug` does."""
    update = session.get(
        ImplementationUpdate, update_id, with_for_update=lock, populate_existing=lock
    )
    if update is None or not principal.owns(update.company_id):
        raise NotFoundError(f"No update {update_id} that this key may see.")
    return update


def _own_draft(
    session: Session, principal: Principal, update_id: int, if_match: str | None
) -> ImplementationUpdate:
    update = owned_update(session, principal, update_id)
    require_if_match(if_match, update_etag(update))
    if update.state != UpdateState.DRAFT:
        raise ConflictError("A submitted update cannot change: amend it instead.")
    return update


@transactional
def change_draft(
    session: Session, principal: Principal, update_id: int, body: UpdateChange, if_match: str | None
) -> Versioned[UpdateRead]:
    update = _own_draft(session, principal, update_id, if_match)
    before = snapshot(update)
    changes = body.model_dump(exclude_unset=True, exclude={"entries"})
    if "reporting_cycle" in changes:
        check_cycle(session, principal, body.reporting_cycle, "body")
        update.reporting_cycle_id = changes.pop("reporting_cycle")
    for field, value in changes.items():
        setattr(update, field, value)
    if update.period_start > update.period_end:
        raise InvalidRequestError("period_start must not be after period_end.")
    if body.entries is not None:
        _replace_entries(session, update, body.entries, "body")
    update.updated_at = utcnow()
    session.flush()  # StaleDataError (412) if a concurrent writer changed it first
    _record(session, principal, "update.changed", update, before=before, entries=body.entries)
    return read_update(session, principal, update_id)


def _submit(update: ImplementationUpdate) -> None:
    update.state = UpdateState.SUBMITTED
    update.submitted_at = update.updated_at = utcnow()


@transactional
def submit(
    session: Session, principal: Principal, update_id: int, if_match: str | None
) -> Versioned[UpdateRead]:
    update = _own_draft(session, principal, update_id, if_match)
    check_submittable(session, update, utcnow().date())
    _submit(update)
    session.flush()
    shown = read_update(session, principal, update_id)  # the answer, and what the log records
    # After the audit record, whose clock row every writer locks first: the count rows are then
    # always locked in one order (as in create_batch), so two submissions cannot deadlock.
    _record(session, principal, "update.submitted", update, shown=shown.body)
    published.refresh(session, update.company_id)
    return shown


@transactional
def amend(session: Session, principal: Principal, update_id: int) -> Versioned[UpdateRead]:
    """A new draft revision with the submitted update's content; it supersedes on submission."""
    original = owned_update(session, principal, update_id, lock=True)  # one amendment wins
    if original.state != UpdateState.SUBMITTED:
        raise ConflictError("Only a submitted update can be amended; edit the draft instead.")
    taken = select(ImplementationUpdate).where(ImplementationUpdate.supersedes_id == original.id)
    amendment_ = session.exec(taken).first()
    if amendment_ is not None and amendment_.state == UpdateState.DRAFT:
        raise ConflictError(
            f"This update has a draft amendment, update {amendment_.id}: edit that draft."
        )
    if amendment_ is not None:
        raise ConflictError(
            f"This update was amended by update {amendment_.id}: amend that one instead."
        )
    amendment = ImplementationUpdate(
        **snapshot(original) | {"state": UpdateState.DRAFT, "revision": original.revision + 1},
    )
    amendment.supersedes_id = original.id
    session.add(amendment)
    session.flush()
    _copy_entries(session, original, amendment)
    _record(session, principal, "update.amended", amendment)
    return read_update(session, principal, amendment.id or 0)


def _copy_entries(
    session: Session, source: ImplementationUpdate, target: ImplementationUpdate
) -> None:
    _replace_entries(session, target, entries_as_input(session, source.id or 0), "body")
