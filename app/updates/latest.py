"""The latest published status: per company and principle, the public entry of its newest
current submitted update. `latest_public_entries` is the one definition (the read model in
`app/updates/published.py` is kept from it); `latest_public_status` reads that read model."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from app.principles.models import FrameworkVersion, Principle
from app.updates.models import (
    ImplementationUpdate,
    PublishedStatus,
    UpdateEntry,
    UpdateState,
    Visibility,
)
from app.updates.queries import is_current


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


def latest_public_status(session: Session, company_id: int) -> list[PrincipleStatus]:
    """Every principle of the current framework version with the company's latest published
    status, or `not_reported`; then what it published under older versions. From the read
    model."""
    current = (
        sa_select(col(FrameworkVersion.id))
        .order_by(col(FrameworkVersion.published_on).desc(), col(FrameworkVersion.id).desc())
        .limit(1)
        .scalar_subquery()
    )
    published = and_(
        col(PublishedStatus.principle_id) == Principle.id,
        col(PublishedStatus.company_id) == company_id,
    )
    statement = (
        sa_select(PublishedStatus, col(Principle.code), col(FrameworkVersion.code))
        .select_from(Principle)
        .join(FrameworkVersion, col(FrameworkVersion.id) == Principle.framework_version_id)
        .outerjoin(PublishedStatus, published)
        .where(
            or_(
                col(Principle.framework_version_id) == current,
                col(PublishedStatus.company_id).is_not(None),
            )
        )
        .order_by(col(FrameworkVersion.published_on).desc(), col(Principle.position))
    )
    return [
        PrincipleStatus(principle, version, NOT_REPORTED, None, None, None, None)
        if row is None
        else PrincipleStatus(
            principle,
            version,
            row.status,
            row.update_id,
            row.period_start,
            row.period_end,
            row.submitted_at,
        )
        for row, principle, version in session.execute(statement)
    ]
