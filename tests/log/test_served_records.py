"""Issue 29: `vpr verify --record` checks what the record's URL serves, not only the rows the
log's own endpoint reads. A stored document forged behind the app's back (the company's detail,
an update's public document) fails its verification, naming what differs; and the verifier's
reading of a company's events gives the status the registry gives, for every company, after
withdrawals, re-endorsements and retractions. On both engines, through a real `vpr serve`."""

import copy
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from sqlalchemy import create_engine, text

from app.keys.models import Role
from app.keys.service import KeySpec
from app.log import proofs, verifier
from tests.conftest import auth, served_registry, submit_over_http
from tests.servers import Instance
from tests.test_updates_workflow import DRAFT

META = "/api/v1/companies/meta"
SOURCE = "https://example.org/a-public-statement"


@pytest.fixture
def registry(engine_name: str, tmp_path: Path) -> Iterator[tuple[Instance, str, str]]:
    with served_registry(engine_name, tmp_path, KeySpec(Role.ADMIN, "admin")) as found:
        yield found


def _verify(instance: Instance, records: list[str]) -> list[str]:
    key = httpx2.get(f"{instance.url}/api/v1/log/key").json()["verifier_key"]
    registry = verifier.Registry(instance.url)
    return verifier.verify(registry, proofs.VerifierKey.parse(key), None, records)[1]


def _forge(
    url: str, table: str, column: str, where: str, change: Callable[[Any], None]
) -> dict[str, Any]:
    """Rewrite a stored document's JSON behind the app's back; the forged document."""
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            body = json.loads(bytes(connection.execute(
                text(f"SELECT {column} FROM {table} WHERE {where}")  # noqa: S608 - test constants
            ).scalar_one()))  # fmt: skip
            change(body)
            connection.execute(
                text(f"UPDATE {table} SET {column} = :body WHERE {where}"),  # noqa: S608
                {"body": json.dumps(body).encode()},
            )
    finally:
        engine.dispose()
    return dict(body)


def _withdrawn(body: dict[str, Any]) -> None:
    body["endorsement"]["status"] = "withdrawn"  # the probe's forgery


def _renamed(body: dict[str, Any]) -> None:
    body["name"] = "Meta Platforms"


def _resourced(body: dict[str, Any]) -> None:
    body["endorsement_history"][0]["source_url"] = "https://example.org/elsewhere"


def _erased(body: dict[str, Any]) -> None:
    body["endorsement_history"] = []


@pytest.mark.parametrize(("forgery", "named"), [
    (_withdrawn, "its endorsement status is not the one its events give"),
    (_renamed, "it serves a state the log does not hold (change "),
    (_resourced, "endorsement event 1 is not as logged"),
    (_erased, "it serves 0 endorsement events, the log holds 1"),
])  # fmt: skip
def test_a_forged_company_document_fails_its_verification(registry, forgery, named):
    instance, _, url = registry
    forged = _forge(url, "company_document", "body", "slug = 'meta'", forgery)
    assert httpx2.get(f"{instance.url}{META}").json() == forged  # what the public is served
    failures = _verify(instance, [META, "/api/v1/companies/google"])
    assert len(failures) == 1
    assert failures[0].startswith(f"{META}: {named}")


def test_the_verifier_reads_every_company_s_status_as_the_registry_does(registry):
    """Withdrawn, endorsed again, that re-endorsement retracted, a month-precision event: the
    status the verifier derives from the served events is the served status, for every company;
    and a submitted update, as served, is the state its log holds."""
    instance, admin, _ = registry
    with httpx2.Client(base_url=instance.url, headers=auth(admin)) as client:
        events = "/api/v1/companies/google/endorsement-events"
        for kind, day in (("withdrawn", "2024-02"), ("endorsed", "2025-06-01")):
            made = client.post(
                events, json={"kind": kind, "occurred_on": day, "source_url": SOURCE}
            )
            assert made.status_code == 201, made.text
        retraction = client.post(
            f"{events}/{made.json()['id']}/retraction", json={"reason": "Recorded by mistake."}
        )
        assert retraction.status_code == 201, retraction.text
        assert client.get("/api/v1/companies/google").json()["endorsement"]["status"] == "withdrawn"
        slugs = [c["slug"] for c in client.get("/api/v1/companies?limit=100").json()["items"]]
        company = client.post(
            "/api/v1/keys", json={"role": "company", "name": "m", "company": "meta"}
        )
        assert company.status_code == 201, company.text
    update = submit_over_http(instance, company.json()["key"], copy.deepcopy(DRAFT))
    assert {"google", "meta"} <= set(slugs)
    records = [f"/api/v1/companies/{slug}" for slug in slugs]
    assert _verify(instance, [*records, update["url"]]) == []


def test_a_forged_report_link_fails_its_verification(registry):
    """A linked report is logged as the company's change: a stored document that serves
    another link (or hides one) fails, as an endorsement event would."""
    instance, admin, url = registry
    report = {
        "title": "Transparency report 2024", "publisher": "Meta", "published_on": "2025",
        "url": "https://transparency.example/2024",
    }  # fmt: skip
    linked = httpx2.post(
        f"{instance.url}{META}/transparency-reports", json=report, headers=auth(admin)
    )
    assert linked.status_code == 201, linked.text
    assert _verify(instance, [META]) == []

    def elsewhere(body: dict[str, Any]) -> None:
        body["transparency_reports"][0]["url"] = "https://forged.example/report"

    _forge(url, "company_document", "body", "slug = 'meta'", elsewhere)
    assert _verify(instance, [META]) == [
        f"{META}: its linked reports are not the ones the log holds"
    ]
