"""The latest published status: per company and principle, the public entry of its newest
current submitted update. `latest_public_entries` is the one definition (the read model in
`app/updates/published.py` is kept from it); `latest_public_status` reads that read model."""

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
