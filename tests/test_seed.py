"""The seed holds domain.md's facts and loads idempotently, never overwriting later changes."""

from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.companies.models import Company
from app.core import migrations
from app.endorsements.models import EndorsementEvent
from app.models import metadata
from app.seeding.loader import load_seed
from tests.databases import engine_for

EXPECTED_ENDORSERS = {
    # slug: (date, precision, consulted_in_drafting)
    "meta": (date(2020, 3, 5), "day", True),
    "google": (date(2020, 3, 5), "day", True),
    "microsoft": (date(2020, 3, 5), "day", True),
    "roblox": (date(2020, 3, 5), "day", True),
    "snap": (date(2020, 3, 5), "day", True),
    "x": (date(2020, 3, 5), "day", True),
    "tiktok": (date(2020, 3, 1), "month", False),
    # Between the launch and the Canadian briefing (written around March 2021): issue 30.
    "amazon": (date(2020, 3, 5), "range", False),
    "match-group": (date(2020, 7, 23), "day", False),
    # Later endorsers a public source names (issue 30), by 16 May 2024.
    "spark-new-zealand": (date(2020, 3, 5), "range", False),
    "one-new-zealand": (date(2020, 3, 5), "range", False),
}


def _row_counts(session: Session) -> dict[str, int]:
    return {
        name: session.exec(select(func.count()).select_from(table)).one()
        for name, table in metadata.tables.items()
    }


def test_seed_holds_the_sourced_endorsers(session):
    rows = session.exec(
        select(Company.slug, EndorsementEvent).join(
            EndorsementEvent, col(EndorsementEvent.company_id) == Company.id
        )
    ).all()
    found = {slug: (e.occurred_on, e.date_precision, e.consulted_in_drafting) for slug, e in rows}
    assert found == EXPECTED_ENDORSERS
    assert all(e.source_url.startswith("https://") for _, e in rows)


def test_seed_twice_adds_nothing(session):
    before = _row_counts(session)
    assert load_seed(session) == {}
    assert _row_counts(session) == before


def test_seed_does_not_overwrite_what_an_administrator_changed(session):
    meta = session.exec(select(Company).where(Company.slug == "meta")).one()
    meta.name = "Meta Platforms"
    session.add(meta)
    session.commit()
    load_seed(session)
    session.refresh(meta)
    assert meta.name == "Meta Platforms"


def test_seed_leaves_a_company_an_administrator_created_first(fresh_database_url):
    engine = engine_for(fresh_database_url)
    try:
        migrations.upgrade(engine)
        with Session(engine) as session:
            session.add(Company(slug="meta", name="Meta (entered by hand)"))
            session.commit()
            inserted = load_seed(session)
            meta = session.exec(select(Company).where(Company.slug == "meta")).one()
            assert meta.name == "Meta (entered by hand)"
            assert inserted["companies"] == len(EXPECTED_ENDORSERS) - 1
            assert inserted["principles"] == 11
            assert load_seed(session) == {}
    finally:
        engine.dispose()
