"""Opening reporting cycles and working out who has submitted, who is late."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.access import Principal
from app.audit import service as audit
from app.companies.models import Company
from app.core.db import transactional
from app.core.errors import FieldProblem, InvalidRequestError, NotFoundError
from app.core.types import utcnow
from app.core.urls import cycle_url
from app.cycles.models import CycleCompany, ReportingCycle
from app.cycles.schemas import CycleCreate, CycleDetailRead, CycleRead, ReportingStatus
from app.endorsements.models import EndorsementStatus
from app.endorsements.queries import with_status
from app.principles.models import FrameworkVersion
from app.principles.service import resolve_version
from app.updates.models import ImplementationUpdate, UpdateState


@dataclass(frozen=True)
class CycleCompanyRow:
    slug: str
    name: str
    status: ReportingStatus
    submitted_at: datetime | None
    update_id: int | None


def _asked_company_ids(session: Session, slugs: list[str] | None) -> list[int]:
    if slugs is None:
        statement, join = with_status(sa_select(col(Company.id)))
        statement = statement.where(join.status_is(EndorsementStatus.ENDORSED))
        return [row[0] for row in session.execute(statement)]
    statement = select(Company.slug, Company.id).where(col(Company.slug).in_(slugs))
    found = dict(session.exec(statement).all())
    unknown = [
        FieldProblem(location=["body", "companies", i], detail=f"no company {s!r}", type="unknown")
        for i, s in enumerate(slugs)
        if s not in found
    ]
    if unknown:
        raise InvalidRequestError("Some companies are unknown; see errors.", unknown)
    return [found[s] or 0 for s in slugs]


@transactional
def open_cycle(session: Session, principal: Principal, body: CycleCreate) -> CycleDetailRead:
    version = resolve_version(session, body.framework_version)
    today = utcnow().date()
    if body.due_on < today:
        raise InvalidRequestError(
            f"due_on {body.due_on.isoformat()} has passed (today is {today.isoformat()}): every "
            "company asked would be overdue the moment the cycle opened.",
            [FieldProblem(location=["body", "due_on"], detail="in the past", type="date")],
        )
    cycle = ReportingCycle(
        title=body.title,
        opens_on=body.opens_on,
        due_on=body.due_on,
        period_start=body.period_start,
        period_end=body.period_end,
        framework_version_id=version.id or 0,
        opened_by=principal.actor,
        government=principal.government,
    )
    session.add(cycle)
    session.flush()
    company_ids = _asked_company_ids(session, body.companies)
    session.add_all([CycleCompany(cycle_id=cycle.id or 0, company_id=c) for c in company_ids])
    audit.record(
        session,
        actor=principal.actor,
        action="cycle.opened",
        resource_type="reporting_cycle",
        resource_id=cycle.id or 0,
        url=cycle_url(cycle.id or 0),
        before=None,
        after=cycle.model_dump() | {"company_ids": company_ids},
    )
    return cycle_detail(session, cycle.id or 0)


def _with_version() -> SelectOfScalar[Any]:
    return select(ReportingCycle, FrameworkVersion.code).join(  # type: ignore[return-value]
        FrameworkVersion, col(FrameworkVersion.id) == ReportingCycle.framework_version_id
    )


def list_cycles(session: Session) -> list[CycleRead]:
    statement = _with_version().order_by(
        col(ReportingCycle.due_on).desc(), col(ReportingCycle.id).desc()
    )
    return [CycleRead.of(cycle, version) for cycle, version in session.exec(statement)]


def cycle_detail(session: Session, cycle_id: int) -> CycleDetailRead:
    """Who was asked, who submitted (and whether late), who is overdue."""
    row = session.exec(_with_version().where(ReportingCycle.id == cycle_id)).first()
    if row is None:
        raise NotFoundError(f"No reporting cycle {cycle_id}.")
    cycle, version = row
    return CycleDetailRead.of(cycle, version, company_rows(session, cycle))


def _submissions(session: Session, cycle: ReportingCycle) -> dict[int, tuple[datetime, int]]:
    """Per company: when it first submitted for this cycle, and its latest update's id."""
    update = ImplementationUpdate
    statement = (
        select(update.company_id, update.id, update.submitted_at)
        .where(update.reporting_cycle_id == cycle.id, update.state == UpdateState.SUBMITTED)
        .order_by(col(update.submitted_at), col(update.id))
    )
    found: dict[int, tuple[datetime, int]] = {}
    for company_id, update_id, submitted_at in session.exec(statement):
        first = found[company_id][0] if company_id in found else submitted_at or utcnow()
        found[company_id] = (first, update_id or 0)
    return found


def reporting_status(first_at: datetime | None, due_on: date, today: date) -> ReportingStatus:
    """Submitted on time or late by the day of the first submission (UTC); without one,
    overdue once the due date has passed."""
    if first_at is not None:
        late = first_at.date() > due_on
        return ReportingStatus.SUBMITTED_LATE if late else ReportingStatus.SUBMITTED_ON_TIME
    return ReportingStatus.OVERDUE if today > due_on else ReportingStatus.NOT_YET_DUE


def company_rows(
    session: Session, cycle: ReportingCycle, today: date | None = None
) -> list[CycleCompanyRow]:
    """Per asked company: submitted on time or late (with its latest update), overdue, or not
    yet due."""
    today = today or utcnow().date()
    submissions = _submissions(session, cycle)
    asked = session.exec(
        select(Company.id, Company.slug, Company.name)
        .join(CycleCompany, col(CycleCompany.company_id) == Company.id)
        .where(CycleCompany.cycle_id == cycle.id)
        .order_by(col(Company.name))
    )
    rows = []
    for company_id, slug, name in asked:
        first_at, update_id = submissions.get(company_id or 0, (None, None))
        status = reporting_status(first_at, cycle.due_on, today)
        rows.append(CycleCompanyRow(slug, name, status, first_at, update_id))
    return rows
