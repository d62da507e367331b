"""Recording endorsement events (administrators): appended, never changed."""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from app.audit import service as audit
from app.companies.queries import company_by_slug
from app.core.db import transactional
from app.core.errors import InvalidRequestError
from app.core.types import DatePrecision, utcnow
from app.core.urls import company_url
from app.endorsements import status
from app.endorsements.models import EndorsementEvent, EndorsementEventKind
from app.endorsements.queries import EventRow
from app.milestones.models import Milestone
from app.principles.service import resolve_version


@dataclass(frozen=True)
class NewEvent:
    kind: EndorsementEventKind
    occurred_on: date
    precision: DatePrecision
    source_url: str
    drafter: bool
    note: str | None
    milestone: str | None
    framework_version: str | None


def _start_of_period(day: date, precision: DatePrecision) -> date:
    if precision is DatePrecision.YEAR:
        return date(day.year, 1, 1)
    if precision is DatePrecision.MONTH:
        return day.replace(day=1)
    return day


@transactional
def record_event(session: Session, slug: str, new: NewEvent, actor: str) -> EventRow:
    """Append an event to a company's history; earlier events are never changed."""
    company = company_by_slug(session, slug)
    if new.occurred_on > utcnow().date():
        raise InvalidRequestError("occurred_on cannot be in the future.")
    version = resolve_version(session, new.framework_version)
    milestone = None
    if new.milestone is not None:
        milestone = session.exec(select(Milestone).where(Milestone.slug == new.milestone)).first()
        if milestone is None:
            raise InvalidRequestError(f"No milestone with slug {new.milestone!r}.")
    event = EndorsementEvent(
        company_id=company.id or 0,
        framework_version_id=version.id or 0,
        kind=new.kind,
        occurred_on=_start_of_period(new.occurred_on, new.precision),
        date_precision=new.precision,
        source_url=new.source_url,
        drafter=new.drafter,
        note=new.note,
        milestone_id=milestone.id if milestone else None,
        recorded_by=actor,
    )
    session.add(event)
    company.updated_at = utcnow()  # the company's status may change: bump its version
    session.add(company)
    session.flush()
    status.refresh(session, company.id or 0)
    audit.record(
        session,
        actor=actor,
        action=f"endorsement.{new.kind}",
        resource_type="company",
        resource_id=company.id or 0,
        url=company_url(company.slug),
        before=None,
        after=event.model_dump(),
    )
    return EventRow(event, company.slug, version.code, milestone.slug if milestone else None)
