"""Queries over implementation updates (the write workflow comes with API keys)."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, exists
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from app.principles.models import FrameworkVersion, Principle
from app.updates.models import ImplementationUpdate, UpdateEntry, UpdateState, Visibility


@dataclass(frozen=True)
class PrincipleStatus:
    principle: str
    framework_version: str
    status: str
    update_id: int
    period_start: date
    period_end: date
    submitted_at: datetime


def _is_current_submission() -> ColumnElement[bool]:
    """Submitted and not superseded by a submitted amendment."""
    successor = aliased(ImplementationUpdate)
    superseded = exists().where(
        col(successor.supersedes_id) == ImplementationUpdate.id,
        col(successor.state) == UpdateState.SUBMITTED,
    )
    return (col(ImplementationUpdate.state) == UpdateState.SUBMITTED) & ~superseded


def latest_public_status(session: Session, company_id: int) -> list[PrincipleStatus]:
    """Per principle, the public entry of the company's latest current submitted update."""
    statement = (
        select(UpdateEntry, ImplementationUpdate, Principle.code, FrameworkVersion.code)
        .join(ImplementationUpdate, col(ImplementationUpdate.id) == UpdateEntry.update_id)
        .join(Principle, col(Principle.id) == UpdateEntry.principle_id)
        .join(FrameworkVersion, col(FrameworkVersion.id) == UpdateEntry.framework_version_id)
        .where(
            ImplementationUpdate.company_id == company_id,
            UpdateEntry.visibility == Visibility.PUBLIC,
            _is_current_submission(),
        )
        .order_by(
            col(FrameworkVersion.published_on).desc(),
            col(Principle.position),
            col(ImplementationUpdate.period_end).desc(),
            col(ImplementationUpdate.submitted_at).desc(),
        )
    )
    latest: dict[tuple[str, str], PrincipleStatus] = {}
    for entry, update, principle_code, version_code in session.exec(statement):
        key = (version_code, principle_code)
        if key in latest:
            continue  # rows come newest first per principle
        latest[key] = PrincipleStatus(
            principle=principle_code,
            framework_version=version_code,
            status=entry.status,
            update_id=update.id or 0,
            period_start=update.period_start,
            period_end=update.period_end,
            submitted_at=update.submitted_at or update.updated_at,
        )
    return list(latest.values())
