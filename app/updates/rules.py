"""What an update must be to count as an answer: checked when it names a reporting cycle and
when it is submitted, so a government never counts an empty or impossible update."""

from datetime import date

from sqlmodel import Session, func, select

from app.access import Principal
from app.core.errors import FieldProblem, InvalidRequestError
from app.cycles.models import CycleCompany, ReportingCycle
from app.updates.models import ImplementationUpdate, UpdateEntry


def _problem(where: str, field: str, detail: str, kind: str) -> list[FieldProblem]:
    return [FieldProblem(location=[where, field], detail=detail, type=kind)]


def check_cycle(session: Session, principal: Principal, cycle_id: int | None, where: str) -> None:
    """The cycle exists and asks the caller's company."""
    if cycle_id is None:
        return
    if session.get(ReportingCycle, cycle_id) is None:
        raise InvalidRequestError(
            f"There is no reporting cycle {cycle_id}.",
            _problem(where, "reporting_cycle", "no such cycle", "unknown"),
        )
    if session.get(CycleCompany, (cycle_id, principal.company_id)) is None:
        raise InvalidRequestError(
            f"Reporting cycle {cycle_id} does not ask your company to report.",
            _problem(where, "reporting_cycle", "not asked", "cycle"),
        )


def check_submittable(
    session: Session, update: ImplementationUpdate, today: date, where: str = "body"
) -> None:
    """At least one entry; a period that has ended by the day of submission; and, for a
    reporting cycle, a period that covers the one the cycle asks about."""
    entries = session.exec(
        select(func.count()).select_from(UpdateEntry).where(UpdateEntry.update_id == update.id)
    ).one()
    if not entries:
        raise InvalidRequestError(
            "An update needs at least one entry (a principle and its status) to be submitted.",
            _problem(where, "entries", "empty", "required"),
        )
    if update.period_end > today:
        raise InvalidRequestError(
            f"The period ends on {update.period_end.isoformat()}, after today "
            f"({today.isoformat()}): an update reports on a period that has ended.",
            _problem(where, "period_end", "in the future", "period"),
        )
    cycle = session.get(ReportingCycle, update.reporting_cycle_id or 0)
    if cycle is None or cycle.period_start is None or cycle.period_end is None:
        return
    if update.period_start > cycle.period_start or update.period_end < cycle.period_end:
        raise InvalidRequestError(
            f"Reporting cycle {cycle.id} asks about {cycle.period_start.isoformat()} to "
            f"{cycle.period_end.isoformat()}; this update covers {update.period_start.isoformat()} "
            f"to {update.period_end.isoformat()}.",
            _problem(where, "period_start", "does not cover the cycle's period", "period"),
        )
