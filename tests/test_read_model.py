"""The read models (each company's status, stored detail and page parts; latest published
statuses and their counts) are kept in the writing transaction, and always equal what a rebuild
from the history gives, whatever the order of writes."""

import random
from contextlib import suppress
from datetime import date, timedelta
from typing import Any

import pytest
from sqlmodel import Session, col, select

from app import read_model
from app.access import Principal
from app.companies import documents
from app.companies import service as companies
from app.companies.queries import company_by_slug, company_etag
from app.core import migrations
from app.core.errors import ConflictError
from app.core.types import DatePrecision
from app.endorsements import service as endorsements
from app.endorsements.models import CompanyStatus, EndorsementEvent, EndorsementEventKind
from app.keys.models import Role
from app.seeding.loader import load_seed
from app.stats.models import StatContribution, StatCounter
from app.updates import service as updates
from app.updates.models import (
    ImplementationStatus,
    ImplementationUpdate,
    PublishedStatus,
    PublishedStatusCount,
    RestrictedStatus,
    UpdateDocument,
    UpdateRestrictedDocument,
    Visibility,
)
from app.updates.queries import read_update
from app.updates.schemas import EntryInput, UpdateCreate
from tests.databases import engine_for

SOURCE = "https://example.org/source"


def _rows(session: Session) -> list[tuple[object, ...]]:
    """Every row of every read model, in a fixed order."""
    found: list[tuple[object, ...]] = []
    models = (
        *documents.TABLES,  # the detail, the item, the page part, the table row
        CompanyStatus,
        PublishedStatus,
        PublishedStatusCount,
        RestrictedStatus,
        StatContribution,
        StatCounter,
        UpdateDocument,
        UpdateRestrictedDocument,
    )
    for model in models:
        table: Any = model.__table__  # type: ignore[union-attr]
        keys = [column.name for column in table.primary_key.columns]
        rows = session.exec(select(model).order_by(*[col(getattr(model, k)) for k in keys]))
        names = [column.name for column in table.columns]
        found += [(model.__name__, *[getattr(row, name) for name in names]) for row in rows]
    # A count that fell back to zero is kept as a row; a rebuild makes none.
    counts = ("PublishedStatusCount", "StatCounter")
    return [row for row in found if row[0] not in counts or row[-1] != 0]


def _report(session: Session, rng: random.Random, slug: str) -> None:
    """The company drafts and submits an update, or amends its latest and submits that."""
    company = company_by_slug(session, slug)
    reporter = Principal(role=Role.COMPANY, key_id="test", company_id=company.id)
    submitted = session.exec(
        select(ImplementationUpdate)
        .where(
            ImplementationUpdate.company_id == company.id, ImplementationUpdate.state == "submitted"
        )
        .order_by(col(ImplementationUpdate.id).desc())
    ).first()
    if submitted is not None and rng.random() < 0.3:
        try:
            draft = updates.amend(session, reporter, submitted.id or 0)
        except ConflictError:  # amended already: submit nothing this time
            return
    else:
        end = date(2021 + rng.randrange(0, 4), 12, 31)
        principles = rng.sample([f"VP-{n:02d}" for n in range(1, 12)], rng.randrange(1, 5))
        body = UpdateCreate(
            period_start=date(end.year, 1, 1),
            period_end=end,
            entries=[
                EntryInput(
                    principle=code,
                    status=rng.choice(list(ImplementationStatus)),
                    visibility=rng.choice(list(Visibility)),
                )
                for code in principles
            ],
        )
        created = updates.create_draft(session, reporter, body, None)
        draft = read_update(session, reporter, created.body["id"])
    updates.submit(session, reporter, draft.body.id, draft.version)


def _random_writes(session: Session, rng: random.Random, count: int) -> None:
    slugs = [f"co-{n}" for n in range(6)]
    for slug in slugs:
        companies.create_company(session, {"slug": slug, "name": f"Company {slug}"}, "test")
    for _ in range(count):
        slug = rng.choice([*slugs, "meta", "tiktok"])
        if rng.random() < 0.3:
            _report(session, rng, slug)
            continue
        if rng.random() < 0.2:
            company = company_by_slug(session, slug, with_names=True)
            changes: list[dict[str, Any]] = [
                {"name": rng.choice(["Ärger Labs", "zeta", "Alpha", "beta Media", "ÉCOLE"])},
                {"country": rng.choice(["GB", "US", None])},
                {"sectors": rng.sample(["social_media", "gaming", "search", "dating"], 2)},
            ]
            change = rng.choice(changes)
            companies.change_company(session, slug, change, company_etag(company), "test")
            continue
        if rng.random() < 0.15:
            _retract(session, rng, slug)
            continue
        day = date(2020, 3, 5) + timedelta(days=rng.randrange(0, 2000))
        precision = rng.choice(list(DatePrecision))
        ranged = precision is DatePrecision.RANGE  # two days, each bound sourced
        new = endorsements.NewEvent(
            kind=rng.choice(list(EndorsementEventKind)),
            occurred_on=day,
            precision=precision,
            source_url=SOURCE,
            consulted_in_drafting=False,
            note=None,
            milestone=None,
            framework_version=None,
            latest_on=day + timedelta(days=rng.randrange(1, 400)) if ranged else None,
            earliest_source_url=SOURCE if ranged else None,
            latest_source_url=SOURCE if ranged else None,
            date_note="Bounded by two sources." if ranged else None,
        )
        with suppress(ConflictError):  # an event that makes no sense after the ones before it
            endorsements.record_event(session, slug, new, "test")


def _retract(session: Session, rng: random.Random, slug: str) -> None:
    """An administrator retracts one of the company's events, when that leaves a valid history."""
    company = company_by_slug(session, slug)
    events = session.exec(
        select(EndorsementEvent.id).where(EndorsementEvent.company_id == company.id)
    ).all()
    if not events:
        return
    reason = "Recorded against the wrong company."
    # Refused when retracted already, or when it would leave a history that makes no sense.
    with suppress(ConflictError):
        endorsements.retract_event(session, slug, rng.choice(events) or 0, reason, None, "test")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_rebuild_equals_the_increments_after_random_writes(session, seed):
    _random_writes(session, random.Random(seed), count=60)  # noqa: S311 - not for secrets
    incremental = _rows(session)
    read_model.rebuild(session)
    assert _rows(session) == incremental
    companies_now = len(session.exec(select(CompanyStatus.company_id)).all())
    assert sum(row[0] == "CompanyStatus" for row in incremental) == companies_now
    for table in documents.TABLES:  # every company has its detail, item and page parts
        assert sum(row[0] == table.__name__ for row in incremental) == companies_now
    assert any(row[0] == "PublishedStatus" for row in incremental)  # the writes reported too
    submitted = session.exec(
        select(ImplementationUpdate).where(ImplementationUpdate.state == "submitted")
    ).all()
    replaced = {update.supersedes_id for update in submitted}
    documented = {row[1]: row[2] for row in incremental if row[0] == "UpdateDocument"}
    assert documented == {update.id: update.id not in replaced for update in submitted}
    kinds = {row[1] for row in incremental if row[0] == "StatCounter"}
    timeline = {"possibly_started", "certainly_started", "possibly_stopped", "certainly_stopped"}
    assert {*timeline, "country", "sector", "sector_endorsing"} <= kinds
    assert {"updates_submitted", "updates_current"} <= kinds


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
        migrations.downgrade(engine, "5b1d2c3e4f60")  # before any read model existed
        migrations.upgrade(engine)  # made again, filled from the history
        with Session(engine, expire_on_commit=False) as session:
            read_model.fill(session)  # as `vpr migrate` does after the migrations
            filled = _rows(session)
            read_model.rebuild(session)
            assert _rows(session) == filled
            assert sum(row[0] == "CompanyStatus" for row in filled) == 17  # 11 seeded, 6 made here
            assert any(row[0] == "PublishedStatus" for row in filled)
            assert any(row[0] == "UpdateDocument" for row in filled)
            assert any(row[0] == "RestrictedStatus" for row in filled)
    finally:
        engine.dispose()
