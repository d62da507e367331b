"""Keeping the published-status read model in step with submissions, in the writing transaction.

`refresh` recomputes one company's part after it submits: its latest published status per
principle, and its share of the per-principle counts.
`rebuild` recomputes all of it from the updates (`vpr rebuild`, bulk loads). Both read
`latest_public_entries`, the one definition of "latest published status".
"""

from collections import Counter
from typing import Any

from sqlalchemy import Connection, delete, func, insert, text, true
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from app.companies import documents
from app.core.db import moved_counts
from app.principles.models import Principle
from app.stats import counters
from app.updates import documents as update_documents  # noqa: F401 - its listeners keep them
from app.updates.latest import latest_public_entries
from app.updates.models import (
    ImplementationUpdate,
    PublishedStatus,
    PublishedStatusCount,
    RestrictedStatus,
    UpdateState,
)

STATUS_COLUMNS = [
    "company_id", "principle_id", "framework_version_id", "status", "update_id",
    "period_start", "period_end", "submitted_at",
]  # fmt: skip
# The same statement on SQLite (3.24+) and PostgreSQL: a count row made or moved in one step.
_ADD = text(
    "INSERT INTO published_status_count (principle_id, status, companies) "
    "VALUES (:principle_id, :status, :change) "
    "ON CONFLICT (principle_id, status) "
    "DO UPDATE SET companies = published_status_count.companies + excluded.companies"
)


def _latest(company_id: int | None, *, restricted: bool) -> Any:
    latest = latest_public_entries(company_id, restricted=restricted)
    return (
        sa_select(
            latest.c.company_id,
            latest.c.principle_id,
            col(Principle.framework_version_id),
            latest.c.status,
            latest.c.update_id,
            latest.c.period_start,
            latest.c.period_end,
            latest.c.submitted_at,
        )
        .join(Principle, col(Principle.id) == latest.c.principle_id)
        .where(latest.c.rank == 1)
    )


def _shares(bind: Session | Connection, company_id: int) -> Counter[tuple[int, str]]:
    rows = bind.execute(
        sa_select(col(PublishedStatus.principle_id), col(PublishedStatus.status)).where(
            col(PublishedStatus.company_id) == company_id
        )
    )
    return Counter((principle_id, status) for principle_id, status in rows)


def _replace(bind: Session | Connection, company_id: int | None) -> None:
    """The company's rows (all, without one) of both audiences' latest statuses."""
    for model, restricted in ((PublishedStatus, False), (RestrictedStatus, True)):
        rows = true() if company_id is None else col(model.company_id) == company_id
        bind.execute(delete(model).where(rows))
        latest = _latest(company_id, restricted=restricted)
        bind.execute(insert(model).from_select(STATUS_COLUMNS, latest))


def refresh(session: Session, company_id: int) -> None:
    """After the company submitted: its rows, and the counts moved by its change."""
    documents.mark(session, company_id)  # its detail shows these rows
    moved = moved_counts(
        lambda: _shares(session, company_id), lambda: _replace(session, company_id)
    )
    for (principle_id, status), amount in sorted(moved.items()):
        session.execute(_ADD, {"principle_id": principle_id, "status": status, "change": amount})
    counters.refresh(session, company_id)  # its update tallies


def rebuild(bind: Session | Connection) -> None:
    """All of it, recomputed from the updates (after a bulk load, or to check the increments)."""
    bind.execute(delete(PublishedStatusCount))
    _replace(bind, None)
    counted = sa_select(
        col(PublishedStatus.principle_id), col(PublishedStatus.status), func.count()
    ).group_by(col(PublishedStatus.principle_id), col(PublishedStatus.status))
    bind.execute(
        insert(PublishedStatusCount).from_select(["principle_id", "status", "companies"], counted)
    )


def fill(session: Session) -> int:
    """After the migration that made `restricted_status`: its rows, when it has none while
    updates were submitted (`vpr migrate`); how many."""
    if session.execute(sa_select(func.count()).select_from(RestrictedStatus)).scalar_one():
        return 0
    submitted = sa_select(col(ImplementationUpdate.id)).where(
        col(ImplementationUpdate.state) == UpdateState.SUBMITTED
    )
    if session.execute(submitted.limit(1)).first() is None:
        return 0
    session.execute(
        insert(RestrictedStatus).from_select(STATUS_COLUMNS, _latest(None, restricted=True))
    )
    return int(session.execute(sa_select(func.count()).select_from(RestrictedStatus)).scalar_one())
