"""Recording endorsement events (administrators): appended, never changed."""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from app.audit import service as audit
from app.companies.models import Company
from app.companies.queries import company_by_slug
from app.core.dates import clipped_interval
from app.core.db import transactional
from app.core.errors import ConflictError, InvalidRequestError, NotFoundError
from app.core.types import DatePrecision, utcnow
from app.core.urls import company_url
from app.endorsements import status
from app.endorsements.models import (
    STATUS_AFTER_EVENT,
    EndorsementEvent,
    EndorsementEventKind,
    EndorsementRetraction,
    EndorsementStatus,
)
from app.endorsements.queries import EventRow, counting
from app.endorsements.schemas import EndorsementEventRead, event_date
from app.milestones.models import Milestone
from app.principles.models import FrameworkVersion
from app.principles.service import resolve_version


@dataclass(frozen=True)
class NewEvent:
    kind: EndorsementEventKind
    occurred_on: date  # the first day of the stated day, month or year
    precision: DatePrecision
    source_url: str
    consulted_in_drafting: bool
    note: str | None
    milestone: str | None
    framework_version: str | None
    latest_on: date | None = None  # a range's last day
    earliest_source_url: str | None = None
    latest_source_url: str | None = None
    date_note: str | None = None


def _sequence_problem(company: str, events: list[EndorsementEvent]) -> str | None:
    """What is wrong with this order of events (by earliest day), if anything: an endorsement
    while endorsing already, or a reaffirmation or withdrawal while not endorsing."""
    endorsing_since: EndorsementEvent | None = None
    for event in events:
        kind, stated = EndorsementEventKind(event.kind), event_date(event).value
        if kind is EndorsementEventKind.ENDORSED and endorsing_since is not None:
            since = event_date(endorsing_since).value
            return (
                f"{company} is endorsing already (since {since}) on {stated}: record "
                "`reaffirmed` instead, or retract the earlier event if it was a mistake."
            )
        if kind is not EndorsementEventKind.ENDORSED and endorsing_since is None:
            return (
                f"{company} is not endorsing on {stated}, so it cannot be `{kind.value}` then: "
                "record the endorsement it ends first."
            )
        after = STATUS_AFTER_EVENT[kind] is EndorsementStatus.ENDORSED
        endorsing_since = (endorsing_since or event) if after else None
    return None


def _counting_events(session: Session, company_id: int) -> list[EndorsementEvent]:
    statement = (
        select(EndorsementEvent)
        .where(EndorsementEvent.company_id == company_id, counting())
        .order_by(col(EndorsementEvent.earliest_on), col(EndorsementEvent.id))
    )
    return list(session.exec(statement))


def _in_order(events: list[EndorsementEvent]) -> list[EndorsementEvent]:
    return sorted(events, key=lambda event: (event.earliest_on, event.id or 2**62))


@transactional
def record_event(session: Session, slug: str, new: NewEvent, actor: str) -> EventRow:
    """Append an event to a company's history; earlier events are never changed. It must make
    sense after the events before it (409) and cannot predate the principles it is about (422)."""
    company = company_by_slug(session, slug, lock=True)  # the sequence check sees every event
    return append_event(session, company, new, actor)


def append_event(
    session: Session, company: Company, new: NewEvent, actor: str, request_id: str | None = None
) -> EventRow:
    """`record_event` in the caller's transaction (the seed's corrections run in its own)."""
    if max(new.occurred_on, new.latest_on or new.occurred_on) > utcnow().date():
        raise InvalidRequestError("occurred_on cannot be in the future.")
    version = resolve_version(session, new.framework_version)
    interval = clipped_interval(new.occurred_on, new.precision, version.published_on, new.latest_on)
    if interval is None:
        raise InvalidRequestError(
            f"occurred_on is before the {version.code} principles were published "
            f"({version.published_on.isoformat()}): nobody could endorse them then."
        )
    milestone = None
    if new.milestone is not None:
        milestone = session.exec(select(Milestone).where(Milestone.slug == new.milestone)).first()
        if milestone is None:
            raise InvalidRequestError(f"No milestone with slug {new.milestone!r}.")
    event = EndorsementEvent(
        company_id=company.id or 0,
        framework_version_id=version.id or 0,
        kind=new.kind,
        occurred_on=new.occurred_on,
        date_precision=new.precision,
        earliest_on=interval[0],
        latest_on=interval[1],
        source_url=new.source_url,
        earliest_source_url=new.earliest_source_url,
        latest_source_url=new.latest_source_url,
        date_note=new.date_note,
        consulted_in_drafting=new.consulted_in_drafting,
        note=new.note,
        milestone_id=milestone.id if milestone else None,
        recorded_by=actor,
    )
    problem = _sequence_problem(
        company.name, _in_order([*_counting_events(session, company.id or 0), event])
    )
    if problem is not None:
        raise ConflictError(problem)
    session.add(event)
    company.updated_at = utcnow()  # the company's status may change: bump its version
    session.add(company)
    session.flush()
    status.refresh(session, company.id or 0)
    return record_event_added(session, actor, event, request_id)


def _row(session: Session, event: EndorsementEvent) -> EventRow:
    """The event as its public document shows it (slugs and URLs, not internal ids)."""
    company = session.get(Company, event.company_id)
    version = session.get(FrameworkVersion, event.framework_version_id)
    milestone = session.get(Milestone, event.milestone_id) if event.milestone_id else None
    retraction = session.exec(
        select(EndorsementRetraction).where(EndorsementRetraction.event_id == event.id)
    ).first()
    return EventRow(
        event,
        company.slug if company else "",
        version.code if version else "",
        milestone.slug if milestone else None,
        retraction,
    )


def record_event_added(
    session: Session, actor: str, event: EndorsementEvent, request_id: str | None = None
) -> EventRow:
    """The record of a new event: its public document, in the audit and the change feed (also
    what the seed writes for the events it adds)."""
    row = _row(session, event)
    audit.record(
        session,
        actor=actor,
        action=f"endorsement.{event.kind}",
        resource_type="company",
        resource_id=event.company_id,
        url=company_url(row.company_slug),
        before=None,
        after=EndorsementEventRead.of(row).model_dump(mode="json"),
        request_id=request_id,
    )
    return row


@transactional
def retract_event(
    session: Session, slug: str, event_id: int, reason: str, source_url: str | None, actor: str
) -> EventRow:
    """Mark an event recorded by mistake: it stays in the history, retracted, and stops counting.
    Refused when already retracted, or when the events left would not make sense (409)."""
    company = company_by_slug(session, slug, lock=True)  # the sequence check sees every event
    event = session.get(EndorsementEvent, event_id)
    if event is None or event.company_id != company.id:
        raise NotFoundError(f"{company.name} has no endorsement event {event_id}.")
    return retract(session, company, event, reason, source_url, actor)


def retract(
    session: Session,
    company: Company,
    event: EndorsementEvent,
    reason: str,
    source_url: str | None,
    actor: str,
    request_id: str | None = None,
) -> EventRow:
    """`retract_event` in the caller's transaction."""
    event_id = event.id or 0
    earlier = session.exec(
        select(EndorsementRetraction).where(EndorsementRetraction.event_id == event_id)
    ).first()
    if earlier is not None:
        raise ConflictError(f"Event {event_id} was retracted already ({earlier.reason!r}).")
    left = [e for e in _counting_events(session, company.id or 0) if e.id != event_id]
    problem = _sequence_problem(company.name, left)
    if problem is not None:
        raise ConflictError(f"Retracting event {event_id} would leave: {problem}")
    retraction = EndorsementRetraction(
        event_id=event_id, reason=reason, source_url=source_url, recorded_by=actor
    )
    before = EndorsementEventRead.of(_row(session, event)).model_dump(mode="json")
    session.add(retraction)
    company.updated_at = utcnow()
    session.add(company)
    session.flush()
    status.refresh(session, company.id or 0)
    row = _row(session, event)
    audit.record(
        session,
        actor=actor,
        action="endorsement.retracted",
        resource_type="company",
        resource_id=company.id or 0,
        url=company_url(company.slug),
        before=before,
        after=EndorsementEventRead.of(row).model_dump(mode="json"),
        request_id=request_id,
    )
    return row
