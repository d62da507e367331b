"""What a newer seed file corrects in an existing registry: an endorsement recorded with a
source that does not support it (or a note that says more than its source), a milestone dated
more or less precisely than its source states. Nothing is rewritten: a corrected endorsement
event is retracted, with the seed's reason, and the seed's statement recorded as a new event; a
corrected milestone is changed by an audited record whose before and after the change feed and
the log keep. A second run finds nothing left to correct."""

from typing import Any

from sqlmodel import Session, col, select

from app.audit import service as audit
from app.companies.queries import company_by_slug
from app.core.dates import stated_interval
from app.core.urls import API_PREFIX, principle_url
from app.endorsements.models import EndorsementEvent
from app.endorsements.queries import counting
from app.endorsements.service import NewEvent, append_event, retract
from app.milestones.models import Milestone
from app.principles.models import Principle, Theme
from app.seeding.fill import change_milestone, milestone_source
from app.seeding.schema import (
    CompanySeed,
    EndorsementSeed,
    EventCorrection,
    MilestoneSeed,
    PrincipleSeed,
    ThemeSeed,
)


def correct_endorsements(session: Session, seed: CompanySeed, request_id: str) -> int:
    """Retract each counting event an item of the seed corrects, and record the item; how many."""
    corrected = 0
    for item in seed.endorsements:
        if item.corrects is None:
            continue
        company = company_by_slug(session, seed.slug, lock=True)
        for stale in _counting_events_like(session, company.id or 0, item.corrects):
            retract(
                session, company, stale, item.corrects.reason, item.source_url, "seed", request_id
            )
            append_event(session, company, _new_event(item), "seed", request_id)
            corrected += 1
    return corrected


def _counting_events_like(
    session: Session, company_id: int, was: EventCorrection
) -> list[EndorsementEvent]:
    statement = select(EndorsementEvent).where(
        EndorsementEvent.company_id == company_id, counting()
    )
    for column, value in (
        (col(EndorsementEvent.source_url), was.source_url),
        (col(EndorsementEvent.note), was.note),
        (col(EndorsementEvent.occurred_on), was.occurred_on),
    ):
        if value is not None:
            statement = statement.where(column == value)
    return list(session.exec(statement.order_by(col(EndorsementEvent.id))))


def _new_event(item: EndorsementSeed) -> NewEvent:
    return NewEvent(
        kind=item.kind,
        occurred_on=stated_interval(item.occurred_on, item.precision, item.latest_on)[0],
        precision=item.precision,
        source_url=item.source_url,
        consulted_in_drafting=item.consulted_in_drafting,
        note=item.note,
        milestone=item.milestone,
        framework_version=item.framework_version,
        latest_on=item.latest_on,
        earliest_source_url=item.earliest_source_url,
        latest_source_url=item.latest_source_url,
        date_note=item.date_note,
    )


def correct_milestone(
    session: Session, row: Milestone, seed: MilestoneSeed, request_id: str
) -> bool:
    """State the milestone as the seed does, when the row still says what the seed corrects."""
    was = seed.corrects
    if was is None or any(getattr(row, column) != value for column, value in was.stated().items()):
        return False
    stated: dict[str, Any] = {
        "occurred_on": seed.occurred_on, "date_precision": seed.precision.value,
        "title": seed.title, "description": seed.description, **milestone_source(seed),
    }  # fmt: skip
    change_milestone(session, row, stated, "milestone.corrected", request_id)
    return True


def correct_principle(
    session: Session, row: Principle, seed: PrincipleSeed, version: str, request_id: str
) -> bool:
    """Record the official wording where none is, and the seed's summary where the row still
    holds the one it corrects; audited, with the principle's text before and after."""
    stated: dict[str, Any] = {}
    if seed.official_text is not None and row.official_text is None:
        stated["official_text"] = seed.official_text
    if seed.was_summary is not None and row.summary == seed.was_summary:
        stated["summary"] = seed.summary
    if not stated:
        return False
    before = {"summary": row.summary, "official_text": row.official_text}
    for column, value in stated.items():
        setattr(row, column, value)
    session.flush()
    audit.record(
        session, actor="seed", action="principle.corrected", resource_type="principle",
        resource_id=row.id or 0, url=principle_url(row.code, version), before=before,
        after={"summary": row.summary, "official_text": row.official_text},
        request_id=request_id,
    )  # fmt: skip
    return True


def correct_theme(
    session: Session, row: Theme, seed: ThemeSeed, version: str, request_id: str
) -> bool:
    """The seed's title where the theme still holds the one it corrects; audited."""
    if seed.was_title is None or row.title != seed.was_title:
        return False
    row.title = seed.title
    session.flush()
    audit.record(
        session, actor="seed", action="theme.corrected", resource_type="theme",
        resource_id=row.id or 0, url=f"{API_PREFIX}/themes?version={version}",
        before={"title": seed.was_title}, after={"title": row.title}, request_id=request_id,
    )  # fmt: skip
    return True
