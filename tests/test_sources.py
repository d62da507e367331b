"""Every fact has a source, and the registry says what it does not hold (issue 12, part 2)."""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from pydantic import ValidationError
from sqlmodel import col, select

from app.audit.models import AuditRecord
from app.companies.models import Company, CompanyFormerName
from app.milestones.models import Milestone
from app.seeding.loader import load_seed
from app.seeding.schema import EndorsementSeed, FormerNameSeed, MilestoneSeed
from tests.conftest import auth

LAUNCH = "https://au.usembassy.gov/launch"


def test_former_names_carry_the_date_they_stopped_being_used(client):
    meta = client.get("/api/v1/companies/meta").json()
    assert meta["former_names"] == [
        {
            "name": "Facebook",
            "used_until": {
                "value": "2021-10-28",
                "precision": "day",
                "earliest": "2021-10-28",
                "latest": "2021-10-28",
            },
            "source_url": "https://www.wilx.com/2021/10/28/facebook-renames-itself-meta/",
        }
    ]
    x = client.get("/api/v1/companies/x").json()
    assert x["former_names"][0]["used_until"]["value"] == "2023-07"  # a month, as stated


def test_a_missing_country_says_why(client):
    tiktok = client.get("/api/v1/companies/tiktok").json()
    assert tiktok["country"] is None
    assert "Singapore" in tiktok["country_note"]
    assert "China" in tiktok["country_note"]
    assert client.get("/api/v1/companies/meta").json()["country_note"] is None


def test_the_launch_companies_were_consulted_not_drafters(client):
    history = client.get("/api/v1/companies/google").json()["endorsement_history"]
    assert history[0]["consulted_in_drafting"] is True
    assert "consulted" in history[0]["note"]
    assert "drafted the" not in history[0]["note"]
    assert "drafter" not in client.get("/openapi.json").text
    tiktok = client.get("/api/v1/companies/tiktok").json()
    assert tiktok["endorsement"]["consulted_in_drafting"] is False


@pytest.mark.parametrize(
    "source",
    [{}, {"source_url": "http://example.org/plain-http"}, {"cited_publisher": "Someone"}],
)
def test_the_seed_refuses_a_milestone_without_a_source(source):
    fields = {"slug": "m", "occurred_on": "2021-01-01", "precision": "day", "title": "T"}
    with pytest.raises(ValidationError):
        MilestoneSeed.model_validate(fields | source)
    cited = MilestoneSeed.model_validate(fields | {"cited_title": "A communiqué"})
    assert cited.cited_title == "A communiqué"


def test_the_seed_refuses_an_endorsement_without_a_source():
    fields = {"kind": "endorsed", "occurred_on": "2020-03-05", "precision": "day"}
    with pytest.raises(ValidationError):
        EndorsementSeed.model_validate(fields)
    with pytest.raises(ValidationError):
        EndorsementSeed.model_validate(fields | {"source_url": "ftp://example.org/x"})
    assert EndorsementSeed.model_validate(fields | {"source_url": LAUNCH}).source_url == LAUNCH


def test_a_registry_seeded_before_fills_what_it_lacks_once_and_records_it(session):
    """A registry seeded by an older seed file has milestones without sources and former names
    without end dates: a new run fills only the empty fields, in the audit trail, once."""
    mito = session.exec(select(Milestone).where(Milestone.slug == "g7-mito-2023")).one()
    mito.source_url = mito.cited_title = mito.cited_publisher = None
    mito.cited_date = None
    meta = session.exec(select(Company).where(Company.slug == "meta")).one()
    facebook = session.exec(
        select(CompanyFormerName).where(CompanyFormerName.company_id == meta.id)
    ).one()
    facebook.used_until = facebook.used_until_precision = None
    tiktok = session.exec(select(Company).where(Company.slug == "tiktok")).one()
    tiktok.country_note = None
    session.add_all([mito, facebook, tiktok])
    session.commit()

    assert load_seed(session) == {"milestone_sources": 1, "company_details": 2}
    session.refresh(mito)
    session.refresh(facebook)
    assert mito.cited_title is not None
    assert facebook.used_until_precision == "day"
    records = session.exec(
        select(AuditRecord.action, AuditRecord.actor).where(col(AuditRecord.actor) == "seed")
    ).all()
    assert records.count(("milestone.sourced", "seed")) == 1
    assert records.count(("company.changed", "seed")) == 2
    assert load_seed(session) == {}  # nothing left to fill


def test_an_administrator_records_a_former_name_with_its_precision(client, keys):
    admin = auth(keys["admin"])
    etag = client.get("/api/v1/companies/snap").headers["ETag"]
    body = {"former_names": [{"name": "Snapchat", "used_until": "2016-09"}]}
    changed = client.patch("/api/v1/companies/snap", json=body, headers=admin | {"If-Match": etag})
    assert changed.status_code == 200, changed.text
    assert changed.json()["former_names"][0]["used_until"]["latest"] == "2016-09-30"
    etag = changed.headers["ETag"]
    for bad in ("2016-13", "Sept 2016", "2016-09-31"):
        body = {"former_names": [{"name": "Snapchat", "used_until": bad}]}
        refused = client.patch(
            "/api/v1/companies/snap", json=body, headers=admin | {"If-Match": etag}
        )
        assert refused.status_code == 422, bad
        assert refused.headers["content-type"] == "application/problem+json"


def test_the_seed_refuses_a_former_name_date_it_cannot_read():
    with pytest.raises(ValidationError):
        FormerNameSeed.model_validate({"name": "Facebook", "used_until": "October 2021"})
    assert FormerNameSeed.model_validate({"name": "Twitter", "used_until": "2023-07"}).stated_end()


def test_the_readme_records_endorsements_only_for_fictional_companies():
    """Issue 30: the administrator's example recorded an endorsement for Discord, a real
    company no source shows endorsing, sourced to example.org. Examples that create companies
    or record endorsements use fictional ones, on reserved example domains."""
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    created = re.findall(r'"slug": "([a-z0-9-]+)"[^}]*"website": "([^"]+)"', readme)
    assert created, "the README has an example that creates a company"
    assert all((urlsplit(site).hostname or "").endswith(".example") for _, site in created)
    fictional = {slug for slug, _ in created}
    endorsed = set(re.findall(r"/api/v1/companies/([a-z0-9-]+)/endorsement-events", readme))
    assert endorsed <= fictional


def test_company_facts_carry_their_sources_or_say_they_have_none(client, keys):
    """Issue 30: a company's former names, country and sectors had no source. Each carries one
    where the registry holds it; where it holds none, the API says null and the page says so."""
    spark = client.get("/api/v1/companies/spark-new-zealand").json()
    assert spark["sources"]["country"].startswith("https://www.iwf.org.uk/")
    assert spark["sources"]["sectors"] == spark["sources"]["country"]
    google = client.get("/api/v1/companies/google").json()
    assert google["sources"] == {"country": None, "sectors": None}
    meta = client.get("/api/v1/companies/meta").json()
    assert meta["former_names"][0]["source_url"].startswith("https://")
    page = client.get("/companies/google").text
    assert page.count("(no source recorded)") == 2  # its country and its sectors
    assert (
        'source<span class="visually-hidden"> of the former name Facebook'
        in client.get("/companies/meta").text
    )
    created = client.post(
        "/api/v1/companies",
        json={"slug": "sourced-co", "name": "Sourced Co", "country": "GB",
              "country_source_url": "https://registry.example/sourced-co",
              "former_names": [{"name": "Old Co", "source_url": "https://registry.example/old"}]},
        headers=auth(keys["admin"]),
    )  # fmt: skip
    assert created.status_code == 201, created.text
    assert created.json()["sources"]["country"] == "https://registry.example/sourced-co"
    assert created.json()["former_names"][0]["source_url"] == "https://registry.example/old"
    refused = client.post(
        "/api/v1/companies",
        json={"slug": "plain-co", "name": "Plain Co", "sectors_source_url": "http://x.example"},
        headers=auth(keys["admin"]),
    )
    assert refused.status_code == 422
