"""Reads of implementation updates, under the caller's visibility rules (`app/access.py`)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, exists, func
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased, selectinload
from sqlmodel import Session, col, select

from app.access import EVERY_ENTRY, Principal, entry_visible, update_visible
from app.companies.models import Company
from app.core.db import AnySelect
from app.core.errors import NotFoundError
from app.core.etags import Versioned, version_tag
from app.core.pagination import PageParams
from app.principles.models import FrameworkVersion, Principle
from app.updates.models import (
    ImplementationUpdate,
    PublishedStatus,
    UpdateEntry,
    UpdateState,
    Visibility,
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


@dataclass(frozen=True)
class UpdateView:
    update: ImplementationUpdate
    company: str
    framework_version: str
    superseded_by: int | None
    entries: list[tuple[UpdateEntry, str]]  # (entry, principle code), visible ones only


def _successor_of_update() -> Any:
    successor = aliased(ImplementationUpdate)
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
        conditions.append(col(Company.slug) == filters.company)
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


def _entries(
    session: Session, visible: ColumnElement[bool], update_ids: list[int]
) -> dict[int, list[tuple[UpdateEntry, str]]]:
    if not update_ids:
        return {}
    statement = (
        select(UpdateEntry, Principle.code)
        .join(Principle, col(Principle.id) == UpdateEntry.principle_id)
        .join(ImplementationUpdate, col(ImplementationUpdate.id) == UpdateEntry.update_id)
        .where(col(UpdateEntry.update_id).in_(update_ids), visible)
        .options(
            selectinload(UpdateEntry.measures),  # type: ignore[arg-type]
            selectinload(UpdateEntry.metrics),  # type: ignore[arg-type]
            selectinload(UpdateEntry.evidence),  # type: ignore[arg-type]
        )
        .order_by(col(Principle.position))
    )
    grouped: dict[int, list[tuple[UpdateEntry, str]]] = defaultdict(list)
    for entry, code in session.exec(statement):
        grouped[entry.update_id].append((entry, code))
    return grouped


def list_updates(
    session: Session, principal: Principal, filters: UpdateFilters, page: PageParams
) -> tuple[list[UpdateView], int]:
    """A page of updates; six statements whatever the page size."""
    statement = _base(principal, filters)
    total = session.execute(sa_select(func.count()).select_from(statement.subquery())).scalar_one()
    rows = session.execute(
        statement.order_by(
            col(ImplementationUpdate.period_end).desc(), col(ImplementationUpdate.id).desc()
        )
        .limit(page.limit)
        .offset(page.offset)
    ).all()
    entries = _entries(session, entry_visible(principal), [row[0].id for row in rows])
    return [_view(row, entries) for row in rows], total


def _view(
    row: Row[ImplementationUpdate, str, str, int | None],
    entries: dict[int, list[tuple[UpdateEntry, str]]],
) -> UpdateView:
    update, company, version, superseded_by = row
    return UpdateView(update, company, version, superseded_by, entries.get(update.id or 0, []))


def get_updates(session: Session, principal: Principal, ids: list[int]) -> list[UpdateView]:
    """Several updates by id (in that order), in a fixed number of statements."""
    statement = _base(principal, UpdateFilters(include_superseded=True))
    rows = session.execute(statement.where(col(ImplementationUpdate.id).in_(ids))).all()
    entries = _entries(session, entry_visible(principal), ids)
    by_id = {row[0].id: _view(row, entries) for row in rows}
    return [by_id[i] for i in ids if i in by_id]


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
    return _view(row, _entries(session, entry_visible(principal), [update_id]))


def latest_public_entries(company_id: int | None = None) -> Any:
    """Subquery: per company and principle, the public entries of current submitted updates,
    ranked newest first (`rank` = 1 is the latest published status); one company's, if given
    (filtered before ranking, so only its own few entries are read)."""
    newest_first = func.row_number().over(
        partition_by=(col(ImplementationUpdate.company_id), col(UpdateEntry.principle_id)),
        order_by=(
            col(ImplementationUpdate.period_end).desc(),
            col(ImplementationUpdate.submitted_at).desc(),
            col(ImplementationUpdate.id).desc(),
        ),
    )
    statement = (
        sa_select(
            col(ImplementationUpdate.company_id).label("company_id"),
            col(UpdateEntry.principle_id).label("principle_id"),
            col(UpdateEntry.status).label("status"),
            col(ImplementationUpdate.id).label("update_id"),
            col(ImplementationUpdate.period_start).label("period_start"),
            col(ImplementationUpdate.period_end).label("period_end"),
            col(ImplementationUpdate.submitted_at).label("submitted_at"),
            newest_first.label("rank"),
        )
        .join(ImplementationUpdate, col(ImplementationUpdate.id) == UpdateEntry.update_id)
        .where(
            col(ImplementationUpdate.state) == UpdateState.SUBMITTED,
            col(UpdateEntry.visibility) == Visibility.PUBLIC,
            is_current(),
        )
    )
    if company_id is not None:
        statement = statement.where(col(ImplementationUpdate.company_id) == company_id)
    return statement.subquery("latest_public")


@dataclass(frozen=True)
class PrincipleStatus:
    principle: str
    framework_version: str
    status: str
    update_id: int
    period_start: date
    period_end: date
    submitted_at: datetime


def latest_public_status(session: Session, company_id: int) -> list[PrincipleStatus]:
    """Per principle, the company's latest published status (newest framework version first),
    from the read model."""
    statement = (
        sa_select(PublishedStatus, col(Principle.code), col(FrameworkVersion.code))
        .join(Principle, col(Principle.id) == PublishedStatus.principle_id)
        .join(FrameworkVersion, col(FrameworkVersion.id) == PublishedStatus.framework_version_id)
        .where(col(PublishedStatus.company_id) == company_id)
        .order_by(col(FrameworkVersion.published_on).desc(), col(Principle.position))
    )
    return [
        PrincipleStatus(
            principle=principle,
            framework_version=version,
            status=row.status,
            update_id=row.update_id,
            period_start=row.period_start,
            period_end=row.period_end,
            submitted_at=row.submitted_at,
        )
        for row, principle, version in session.execute(statement)
    ]


def entries_as_input(session: Session, update_id: int) -> list[EntryInput]:
    """All entries of an update (restricted ones too) in the shape a company sends them."""
    entries = _entries(session, EVERY_ENTRY, [update_id]).get(update_id, [])
    return [EntryInput.of(entry, code) for entry, code in entries]
