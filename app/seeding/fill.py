"""What a newer seed file knows that an existing registry lacks: sources of milestones that have
none, the end dates of former names, why a company has no country. Only empty fields are filled
(nothing recorded is overwritten), each fill is an audit record like any other change, and a
second run finds nothing left to fill."""

from typing import Any

from sqlmodel import Session

from app.audit import service as audit
from app.companies.models import CompanyFormerName
from app.companies.queries import company_by_slug
from app.companies.service import record_company_changed, snapshot
from app.core.urls import milestone_url
from app.milestones.models import Milestone
from app.milestones.schemas import MilestoneRead
from app.seeding.schema import CompanySeed, FormerNameSeed, MilestoneSeed

SOURCE_COLUMNS = ("source_url", "cited_publisher", "cited_title", "cited_date")


def milestone_source(seed: MilestoneSeed) -> dict[str, Any]:
    """A milestone's source columns as the seed states them (the seed's fields share names)."""
    return {column: getattr(seed, column) for column in SOURCE_COLUMNS}


def former_name(seed: FormerNameSeed) -> dict[str, Any]:
    """A former name's columns: the end date as its first day, with the precision stated."""
    ended = seed.stated_end()
    return {
        "name": seed.name,
        "used_until": ended[0] if ended else None,
        "used_until_precision": ended[1].value if ended else None,
        "source_url": seed.source_url,
    }


def fill_milestone_source(
    session: Session, row: Milestone, seed: MilestoneSeed, request_id: str
) -> bool:
    """Give a milestone the parts of its source it lacks and the seed now holds (a link beside
    a citation, or a citation beside a link); what it has is left as it is."""
    missing = {
        column: value
        for column, value in milestone_source(seed).items()
        if value is not None and getattr(row, column) is None
    }
    if not missing:
        return False
    change_milestone(session, row, missing, "milestone.sourced", request_id)
    return True


def change_milestone(
    session: Session, row: Milestone, columns: dict[str, Any], action: str, request_id: str
) -> None:
    """Set these columns of a milestone, with an audit record of its document before and after
    (what the seed's fills and corrections of milestones write)."""
    before = MilestoneRead.of(row).model_dump(mode="json")
    for column, value in columns.items():
        setattr(row, column, value)
    session.flush()
    audit.record(
        session, actor="seed", action=action, resource_type="milestone",
        resource_id=row.id or 0, url=milestone_url(row.slug), before=before,
        after=MilestoneRead.of(row).model_dump(mode="json"), request_id=request_id,
    )  # fmt: skip


def complete_company(session: Session, seed: CompanySeed, request_id: str) -> bool:
    """Fill a seeded company's empty end dates and sources of former names, its missing country
    note, and the sources of its country and sectors it lacks."""
    company = company_by_slug(session, seed.slug, with_names=True)
    before = snapshot(company)
    stated_names = {f.name: former_name(f) for f in seed.former_names}
    changed = False
    for existing in company.former_names:
        stated = stated_names.get(existing.name)
        if stated and stated["used_until"] and existing.used_until is None:
            _set(existing, stated)
            changed = True
        if stated and stated["source_url"] and existing.source_url is None:
            existing.source_url = stated["source_url"]
            changed = True
    if company.country is None and company.country_note is None and seed.country_note:
        company.country_note = seed.country_note
        changed = True
    for column in ("country_source_url", "sectors_source_url"):
        if getattr(company, column) is None and getattr(seed, column) is not None:
            setattr(company, column, getattr(seed, column))
            changed = True
    if changed:
        session.flush()
        record_company_changed(session, "seed", company, before, request_id)
    return changed


def _set(row: CompanyFormerName, columns: dict[str, Any]) -> None:
    row.used_until = columns["used_until"]
    row.used_until_precision = columns["used_until_precision"]
