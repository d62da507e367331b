"""Reads of implementation updates, under the caller's visibility rules (`app/access.py`)."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Row, exists, func, tuple_
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from app.access import ANONYMOUS, EVERY_ENTRY, Principal, entry_visible, update_visible
from app.companies.models import Company
from app.core.db import AnySelect
from app.core.errors import NotFoundError
from app.core.etags import Versioned, version_tag
from app.core.pagination import (
    Cursor,
    PageParams,
    cursor_date,
    cursor_order,
    keyset_position,
    next_cursor,
)
from app.keys.models import Role
from app.principles.models import FrameworkVersion, Principle
from app.stats.models import ALL_KEY, UPDATES_CURRENT, UPDATES_SUBMITTED, StatCounter
from app.updates.entries import EntryShown, entries_of
from app.updates.models import (
    ImplementationUpdate,
    UpdateEntry,
    UpdateState,
)
from app.updates.schemas import EntryInput, UpdateRead


@dataclass(frozen=True)
class UpdateFilters:
    company: str | None = None
    principle: str | None = None
    status: str | None = None
    state: UpdateState | None = None
    period_from: date | None = None
    period_to: date | None = None
    framework_version: str | None = None
    reporting_cycle: int | None = None
    include_superseded: bool = False


UNFILTERED = (UpdateFilters(), UpdateFilters(include_superseded=True))


@dataclass(frozen=True)
class UpdateView:
    update: ImplementationUpdate
    company: str
    framework_version: str
    superseded_by: int | None
    entries: list[tuple[EntryShown, str]]  # (entry, principle code), visible ones only


SUCCESSOR = aliased(ImplementationUpdate, name="successor")  # made once, as STATUS_JOIN is


def _successor_of_update() -> Any:
    successor = SUCCESSOR
    return sa_select(col(successor.id)).where(
        col(successor.supersedes_id) == ImplementationUpdate.id,
        col(successor.state) == UpdateState.SUBMITTED,
    )


def superseded_by() -> Any:
    """Correlated: the id of the submitted amendment that replaced this update, if any.

    Correlated subqueries (not an outer join) so that both engines use the unique index on
    supersedes_id per row; SQLite scanned the whole table per row with the join.
    """
    return _successor_of_update().scalar_subquery()


def is_current() -> ColumnElement[bool]:
    """The update has not been superseded by a submitted amendment."""
    current: ColumnElement[bool] = ~_successor_of_update().exists()
    return current


def _conditions(principal: Principal, filters: UpdateFilters) -> list[ColumnElement[bool]]:
    conditions = [update_visible(principal)]
    if filters.company is not None:
        # By the company's id, so that its few updates are read through the company_id index
        # (matching the slug after the join walked every submitted update: 0.4 s at 100k).
        company_id = select(Company.id).where(col(Company.slug) == filters.company)
        conditions.append(col(ImplementationUpdate.company_id) == company_id.scalar_subquery())
    if filters.state is not None:
        conditions.append(col(ImplementationUpdate.state) == filters.state)
    if filters.period_from is not None:
        conditions.append(col(ImplementationUpdate.period_end) >= filters.period_from)
    if filters.period_to is not None:
        conditions.append(col(ImplementationUpdate.period_start) <= filters.period_to)
    if filters.framework_version is not None:
        conditions.append(col(FrameworkVersion.code) == filters.framework_version)
    if filters.reporting_cycle is not None:
        conditions.append(col(ImplementationUpdate.reporting_cycle_id) == filters.reporting_cycle)
    if filters.principle is not None or filters.status is not None:
        # Only entries the caller may see can match: a filter must not reveal restricted parts.
        entry = [col(UpdateEntry.update_id) == ImplementationUpdate.id, entry_visible(principal)]
        if filters.principle is not None:
            entry.append(col(Principle.id) == UpdateEntry.principle_id)
            entry.append(col(Principle.code) == filters.principle.upper())
        if filters.status is not None:
            entry.append(col(UpdateEntry.status) == filters.status)
        conditions.append(exists().where(*entry))
    return conditions


def _base(principal: Principal, filters: UpdateFilters) -> AnySelect:
    statement = (
        sa_select(
            ImplementationUpdate, col(Company.slug), col(FrameworkVersion.code), superseded_by()
        )
        .join(Company, col(Company.id) == ImplementationUpdate.company_id)
        .join(
            FrameworkVersion, col(FrameworkVersion.id) == ImplementationUpdate.framework_version_id
        )
        .where(*_conditions(principal, filters))
    )
    if not filters.include_superseded:
        statement = statement.where(is_current())
    return statement


@dataclass(frozen=True)
class UpdateList:
    views: list[UpdateView]
    total: int
    following: Cursor | None  # where the next page starts


NEWEST_PERIOD_FIRST = (
    col(ImplementationUpdate.period_end).desc(),
    col(ImplementationUpdate.id).desc(),
)


def list_updates(
    session: Session, principal: Principal, filters: UpdateFilters, page: PageParams
) -> UpdateList:
    """A page of updates, newest period first; six statements whatever the page size. Read along
    the (state, period_end, id) index, by keyset when the page has a cursor."""
    order = cursor_order("updates", filters)
    position = keyset_position(page, order)
    statement = _base(principal, filters).order_by(*NEWEST_PERIOD_FIRST).limit(page.limit)
    if position is None:
        statement = statement.offset(page.offset)
    else:
        period_end = cursor_date(position[0])
        newer = tuple_(col(ImplementationUpdate.period_end), col(ImplementationUpdate.id))
        statement = statement.where(newer < tuple_(period_end, position[1]))
    rows = session.execute(statement).all()
    entries = entries_of(session, entry_visible(principal), [row[0].id for row in rows])
    last = (rows[-1][0].period_end, rows[-1][0].id) if rows else None
    views = [_view(row, entries) for row in rows]
    return UpdateList(views, _count(session, principal, filters), next_cursor(page, order, last))


def list_update_heads(
    session: Session, principal: Principal, filters: UpdateFilters, limit: int
) -> list[UpdateView]:
    """The updates alone, newest period first, without their entries or a count: one
    statement, for a list of links (a company's page)."""
    statement = _base(principal, filters).order_by(*NEWEST_PERIOD_FIRST).limit(limit)
    return [_view(row, {}) for row in session.execute(statement).all()]


def company_heads(
    session: Session, company_ids: list[int], most: int
) -> dict[int, list[UpdateView]]:
    """Each of these companies' updates as its page lists them (`list_update_heads` for the
    anonymous view, with superseded revisions), at most `most` each: one statement for them all,
    along the companies' listing index."""
    statement = (
        _base(ANONYMOUS, UpdateFilters(include_superseded=True))
        .where(col(ImplementationUpdate.company_id).in_(company_ids))
        .order_by(col(ImplementationUpdate.company_id), *NEWEST_PERIOD_FIRST)
    )
    found: dict[int, list[UpdateView]] = {}
    for row in session.execute(statement).all():
        listed = found.setdefault(row[0].company_id, [])
        if len(listed) < most:
            listed.append(_view(row, {}))
    return found


def _count(session: Session, principal: Principal, filters: UpdateFilters) -> int:
    """How many updates match. Unfiltered, for every caller who sees no drafts: the tally the
    submissions keep (`app/stats/counters.py`); otherwise counted, the page's conditions alone."""
    if principal.role is not Role.COMPANY and filters in UNFILTERED:
        counter = UPDATES_SUBMITTED if filters.include_superseded else UPDATES_CURRENT
        tally = sa_select(col(StatCounter.amount)).where(
            col(StatCounter.counter) == counter, col(StatCounter.key) == ALL_KEY
        )
        return int(session.execute(tally).scalar_one_or_none() or 0)
    statement = (
        sa_select(func.count())
        .select_from(ImplementationUpdate)
        .join(Company, col(Company.id) == ImplementationUpdate.company_id)
        .join(
            FrameworkVersion, col(FrameworkVersion.id) == ImplementationUpdate.framework_version_id
        )
        .where(*_conditions(principal, filters))
    )
    if not filters.include_superseded:
        statement = statement.where(is_current())
    return int(session.execute(statement).scalar_one())


def _view(
    row: Row[ImplementationUpdate, str, str, int | None],
    entries: dict[int, list[tuple[EntryShown, str]]],
) -> UpdateView:
    update, company, version, superseded_by = row
    return UpdateView(update, company, version, superseded_by, entries.get(update.id or 0, []))


def get_updates(session: Session, principal: Principal, ids: list[int]) -> list[UpdateView]:
    """Several updates by id (in that order), in a fixed number of statements."""
    by_id = _views(session, principal, ids, entry_visible(principal))
    return [by_id[i] for i in ids if i in by_id]


def submitted_views(session: Session, ids: list[int]) -> dict[int, UpdateView]:
    """Those of these updates that are submitted, by id, with every entry (restricted ones
    too): what their stored documents are rendered from (`app/updates/documents.py`)."""
    return _views(session, ANONYMOUS, ids, EVERY_ENTRY)


def _views(
    session: Session, principal: Principal, ids: list[int], visible: ColumnElement[bool]
) -> dict[int, UpdateView]:
    statement = _base(principal, UpdateFilters(include_superseded=True))
    rows = session.execute(statement.where(col(ImplementationUpdate.id).in_(ids))).all()
    entries = entries_of(session, visible, ids)
    return {row[0].id: _view(row, entries) for row in rows}


def update_etag(update: ImplementationUpdate) -> str:
    """The update's version, as If-Match compares it."""
    return version_tag("update", update.id, update.version)


def read_update(session: Session, principal: Principal, update_id: int) -> Versioned[UpdateRead]:
    """The update as this caller may see it, and its version for a later If-Match."""
    view = get_update(session, principal, update_id)
    return Versioned(UpdateRead.of(view), update_etag(view.update))


def get_update(session: Session, principal: Principal, update_id: int) -> UpdateView:
    """One update the caller may see (superseded revisions included), else 404."""
    filters = UpdateFilters(include_superseded=True)
    statement = _base(principal, filters).where(col(ImplementationUpdate.id) == update_id)
    row = session.execute(statement).first()
    if row is None:
        raise NotFoundError(f"No update {update_id} that this key may see.")
    return _view(row, entries_of(session, entry_visible(principal), [update_id]))


def entries_as_input(session: Session, update_id: int) -> list[EntryInput]:
    """All entries of an update (restricted ones too) in the shape a company sends them."""
    entries = entries_of(session, EVERY_ENTRY, [update_id]).get(update_id, [])
    return [EntryInput.of(entry, code) for entry, code in entries]


def public_document(session: Session, update_id: int) -> dict[str, Any]:
    """What everyone sees of a submitted update, as the log records it."""
    return public_document_of(read_update(session, ANONYMOUS, update_id).body)


def public_document_of(shown: UpdateRead) -> dict[str, Any]:
    """The public part of any reader's view of a submitted update: its public entries, without
    `superseded_by`, a link a later amendment adds (and logs with itself)."""
    document = shown.model_dump(mode="json")
    document.pop("superseded_by", None)
    document["entries"] = [e for e in document["entries"] if e["visibility"] == "public"]
    return dict(document)
