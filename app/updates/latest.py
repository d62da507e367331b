"""The latest published status: per company and principle, the public entry of its newest
current submitted update. `latest_public_entries` is the one definition (the read model in
`app/updates/published.py` is kept from it); `latest_public_statuses` reads that read model."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from app.principles.models import FrameworkVersion, Principle
from app.updates.models import (
    ImplementationUpdate,
    PublishedStatus,
    RestrictedStatus,
    UpdateEntry,
    UpdateState,
    Visibility,
)
from app.updates.queries import is_current


def latest_public_entries(company_id: int | None = None, *, restricted: bool = False) -> Any:
    """Subquery: per company and principle, the public entries of current submitted updates,
    ranked newest first (`rank` = 1 is the latest published status); one company's, if given
    (filtered before ranking, so only its own few entries are read). `restricted` counts
    restricted entries too (what governments and administrators see: `restricted_status`)."""
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
        .where(col(ImplementationUpdate.state) == UpdateState.SUBMITTED, is_current())
    )
    if not restricted:
        statement = statement.where(col(UpdateEntry.visibility) == Visibility.PUBLIC)
    if company_id is not None:
        statement = statement.where(col(ImplementationUpdate.company_id) == company_id)
    return statement.subquery("latest_public")


def statuses_of(
    session: Session,
    company_ids: list[int],
    version_id: int,
    code_of: dict[int, str],
    *,
    restricted: bool,
) -> dict[int, dict[str, str]]:
    """Per company of a page: principle code (`code_of` the version's principle ids) -> latest
    status, from the read model of the caller's audience (`restricted`: governments' and
    administrators')."""
    found: dict[int, dict[str, str]] = {company_id: {} for company_id in company_ids}
    if not company_ids:
        return found
    statement = statuses_statement(company_ids, version_id, restricted=restricted)
    for company_id, principle_id, status in session.execute(statement):
        found[company_id][code_of[principle_id]] = status
    return found


def statuses_statement(among: list[Any], version_id: Any, *, restricted: bool) -> Any:
    """(company id, principle id, latest status) of the companies `among` (ids, or bound
    parameters standing for them) under the version: read along each company's key."""
    model = RestrictedStatus if restricted else PublishedStatus
    return sa_select(col(model.company_id), col(model.principle_id), col(model.status)).where(
        col(model.company_id).in_(among), col(model.framework_version_id) == version_id
    )


NOT_REPORTED = "not_reported"


@dataclass(frozen=True)
class PrincipleStatus:
    principle: str
    framework_version: str
    status: str  # an ImplementationStatus, or NOT_REPORTED
    update_id: int | None
    period_start: date | None
    period_end: date | None
    submitted_at: datetime | None


def latest_public_statuses(
    session: Session, company_ids: list[int]
) -> dict[int, list[PrincipleStatus]]:
    """Per company: every principle of the current framework version with its latest published
    status, or `not_reported`; then what it published under older versions. From the read
    model, in two statements however many companies."""
    # Newest framework version first, each in its principles' order; the first is current.
    principles = session.execute(
        sa_select(col(Principle.id), col(Principle.code), col(FrameworkVersion.code))
        .join(FrameworkVersion, col(FrameworkVersion.id) == Principle.framework_version_id)
        .order_by(
            col(FrameworkVersion.published_on).desc(),
            col(FrameworkVersion.id).desc(),
            col(Principle.position),
        )
    ).all()
    current_version = principles[0][2] if principles else None
    published: dict[int, dict[int, tuple[Any, ...]]] = {
        company_id: {} for company_id in company_ids
    }
    # Plain rows, not ORM objects: rendering every company's document reads millions of them.
    columns = (
        col(PublishedStatus.company_id),
        col(PublishedStatus.principle_id),
        col(PublishedStatus.status),
        col(PublishedStatus.update_id),
        col(PublishedStatus.period_start),
        col(PublishedStatus.period_end),
        col(PublishedStatus.submitted_at),
    )
    statement = sa_select(*columns).where(col(PublishedStatus.company_id).in_(company_ids))
    for company_id, principle_id, *reported in session.execute(statement):
        published[company_id][principle_id] = tuple(reported)
    return {
        company_id: [
            PrincipleStatus(code, version, *statuses.get(principle_id, _NOT_REPORTED))
            for principle_id, code, version in principles
            if version == current_version or principle_id in statuses
        ]
        for company_id, statuses in published.items()
    }


_NOT_REPORTED = (NOT_REPORTED, None, None, None, None)
