"""Invariants live in the schema: the database itself refuses what breaks them."""

from datetime import date

import pytest
from sqlalchemy.exc import IntegrityError, StatementError
from sqlmodel import Session, select

from app.companies.models import CompanySector
from app.endorsements.models import EndorsementEvent
from app.principles.models import Principle, Theme
from tests import factories


def _refused(session: Session, row: object) -> None:
    with session.begin_nested():
        session.add(row)
        with pytest.raises(IntegrityError):
            session.flush()


def test_slugs_are_unique(session):
    factories.company(session, "acme")
    with pytest.raises(IntegrityError), session.begin_nested():
        factories.company(session, "acme")


def test_foreign_keys_are_enforced_on_every_engine(session):
    _refused(session, CompanySector(company_id=999_999, sector="gaming"))


def test_sector_must_be_in_the_vocabulary(session):
    acme = factories.company(session, "acme")
    _refused(session, CompanySector(company_id=acme.id or 0, sector="crypto"))


def test_country_must_be_two_upper_case_letters(session):
    with pytest.raises(IntegrityError), session.begin_nested():
        factories.company(session, "acme", country="gb")


@pytest.mark.parametrize(
    ("field", "value"),
    [("kind", "paused"), ("date_precision", "week"), ("source_url", "http://insecure.example")],
)
def test_endorsement_event_checks(session, field, value):
    acme = factories.company(session, "acme")
    values = {
        "company_id": acme.id,
        "framework_version_id": factories.version(session).id,
        "kind": "endorsed",
        "occurred_on": date(2021, 1, 1),
        "date_precision": "day",
        "source_url": factories.SOURCE,
    }
    _refused(session, EndorsementEvent(**{**values, field: value}))


def test_a_principle_cannot_sit_under_another_versions_theme(session):
    later, _ = factories.later_version(session)
    theme_2020 = session.exec(select(Theme).where(Theme.code == "T1")).first()
    with pytest.raises(IntegrityError), session.begin_nested():
        factories.principle(session, later, theme_2020.id)


def test_a_new_version_can_reuse_codes_without_touching_the_old(session):
    later, theme = factories.later_version(session)
    factories.principle(session, later, theme.id or 0)
    principles = session.exec(select(Principle).where(Principle.code == "VP-01")).all()
    assert len(principles) == 2


def test_update_period_must_be_ordered(session):
    meta = factories.company(session, "acme")
    with pytest.raises(IntegrityError), session.begin_nested():
        factories.update(session, meta, {}, period=(date(2024, 12, 31), date(2024, 1, 1)))


def test_update_entry_status_and_visibility_are_checked(session):
    acme = factories.company(session, "acme")
    with pytest.raises(IntegrityError), session.begin_nested():
        factories.update(session, acme, {"VP-01": ("done", "public")})
    with pytest.raises(IntegrityError), session.begin_nested():
        factories.update(session, acme, {"VP-01": ("implemented", "secret")})


def test_an_update_is_amended_at_most_once(session):
    acme = factories.company(session, "acme")
    first = factories.update(session, acme, {})
    factories.update(session, acme, {}, supersedes=first)
    with pytest.raises(IntegrityError), session.begin_nested():
        factories.update(session, acme, {}, supersedes=first)


def test_naive_timestamps_are_refused(session):
    from datetime import datetime  # noqa: PLC0415

    acme = factories.company(session, "acme")
    acme.updated_at = datetime(2024, 1, 1)
    with pytest.raises(StatementError, match="naive datetime"), session.begin_nested():
        session.flush()
