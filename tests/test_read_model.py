"""The read model (each company's status row) is kept in the writing transaction, and always
equals what a rebuild from the history gives, whatever the order of writes."""

import random
from datetime import date, timedelta

import pytest
from sqlmodel import Session, col, select

from app.companies import service as companies
from app.companies.queries import company_by_slug, company_etag
from app.core import migrations
from app.core.types import DatePrecision
from app.endorsements import service as endorsements
from app.endorsements import status
from app.endorsements.models import CompanyStatus, EndorsementEventKind
from app.seeding.loader import load_seed
from tests.databases import engine_for

SOURCE = "https://example.org/source"


def _rows(session: Session) -> list[tuple[object, ...]]:
    statement = select(CompanyStatus).order_by(col(CompanyStatus.company_id))
    return [
        (r.company_id, r.status, r.latest_event_id, r.endorsed_event_id, r.endorsed_on, r.sort_name)
        for r in session.exec(statement)
    ]


def _random_writes(session: Session, rng: random.Random, count: int) -> None:
    slugs = [f"co-{n}" for n in range(6)]
    for slug in slugs:
        companies.create_company(session, {"slug": slug, "name": f"Company {slug}"}, "test")
    for _ in range(count):
        slug = rng.choice([*slugs, "meta", "tiktok"])
        if rng.random() < 0.2:
            company = company_by_slug(session, slug, with_names=True)
            name = rng.choice(["Ärger Labs", "zeta", "Alpha", "beta Media", "ÉCOLE"])
            companies.change_company(session, slug, {"name": name}, company_etag(company), "test")
            continue
        new = endorsements.NewEvent(
            kind=rng.choice(list(EndorsementEventKind)),
            occurred_on=date(2020, 3, 5) + timedelta(days=rng.randrange(0, 2000)),
            precision=rng.choice(list(DatePrecision)),
            source_url=SOURCE,
            drafter=False,
            note=None,
            milestone=None,
            framework_version=None,
        )
        endorsements.record_event(session, slug, new, "test")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_rebuild_equals_the_increments_after_random_writes(session, seed):
    _random_writes(session, random.Random(seed), count=40)  # noqa: S311 - not for secrets
    incremental = _rows(session)
    status.rebuild_all(session)
    assert _rows(session) == incremental
    assert len(incremental) == len(session.exec(select(CompanyStatus.company_id)).all())


def test_every_company_has_a_status_row(session):
    from app.companies.models import Company  # noqa: PLC0415

    companies_ = set(session.exec(select(Company.id)).all())
    assert set(session.exec(select(CompanyStatus.company_id)).all()) == companies_


def test_the_migration_fills_the_table_as_a_rebuild_does(fresh_database_url):
    engine = engine_for(fresh_database_url)
    try:
        migrations.upgrade(engine)
        with Session(engine, expire_on_commit=False) as session:
            load_seed(session)
            _random_writes(session, random.Random(4), count=30)  # noqa: S311 - not for secrets
        migrations.downgrade(engine, "5b1d2c3e4f60")  # before company_status existed
        migrations.upgrade(engine)  # made again, filled from the history
        with Session(engine, expire_on_commit=False) as session:
            filled = _rows(session)
            status.rebuild_all(session)
            assert _rows(session) == filled
            assert len(filled) == 15  # the 9 seeded companies and the 6 made above
    finally:
        engine.dispose()
