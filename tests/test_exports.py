"""Exports a researcher can load without cleaning: tidy CSV tables that join, NDJSON that is real
JSON, a Frictionless data package that validates, files that match their checksums."""

import csv
import hashlib
import io
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session

from app.core.config import get_settings
from app.core.db import give_back_connection, new_session
from app.exports.columns import TableName
from app.exports.documents import DocumentName
from app.exports.service import csv_cell
from app.keys.models import Role
from app.keys.service import KeySpec, issue_key
from app.main import create_app
from tests import factories
from tests.conftest import auth, serve_from
from tests.test_updates_workflow import DRAFT

EXPORTS = [f"{t.value}.csv" for t in TableName] + [f"{d.value}.ndjson" for d in DocumentName]


def _submitted_update(client, keys, narrative: str = "Hash matching on all uploads.") -> Any:
    body = DRAFT | {
        "entries": [DRAFT["entries"][0] | {"narrative": narrative}, DRAFT["entries"][1]]
    }
    draft = client.post("/api/v1/updates", json=body, headers=auth(keys["company"]))
    assert draft.status_code == 201, draft.text
    submitted = client.post(
        f"{draft.json()['url']}/submit",
        headers=auth(keys["company"]) | {"If-Match": draft.headers["etag"]},
    )
    assert submitted.status_code == 200, submitted.text
    return submitted.json()


def _csv(client, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(client.get(f"/api/v1/exports/{name}.csv").text)))


@pytest.mark.parametrize("name", EXPORTS)
def test_export_matches_its_checksum(client, session, name):
    meta = session.exec(factories.select_company("meta")).one()
    factories.update(session, meta, {"VP-01": ("implemented", "public")})
    export = client.get(f"/api/v1/exports/{name}")
    assert export.status_code == 200
    checksum = client.get(f"/api/v1/exports/{name}.sha256").json()
    assert hashlib.sha256(export.content).hexdigest() == checksum["sha256"]
    assert len(export.content) == checksum["bytes"]
    assert export.headers["etag"] == f'"{checksum["data_version"]}"'
    assert export.headers["x-content-sha256"] == checksum["sha256"]
    assert "attachment" in export.headers["content-disposition"]


def test_a_public_change_makes_a_new_file_and_the_same_version_reuses_it(client, session):
    first = client.get("/api/v1/exports/companies.csv")
    again = client.get("/api/v1/exports/companies.csv")
    assert again.headers["etag"] == first.headers["etag"]
    assert again.content == first.content
    factories.company(session, "newco", "NewCo")
    changed = client.get("/api/v1/exports/companies.csv")
    assert changed.headers["etag"] != first.headers["etag"]
    assert "newco" in changed.text


def test_tidy_tables_hold_the_public_record_and_join(client):
    companies = {r["slug"]: r for r in _csv(client, "companies")}
    assert len(companies) == 11
    assert "former_names" not in companies["meta"]  # a table of its own
    tiktok = companies["tiktok"]
    assert (tiktok["endorsed_on"], tiktok["endorsed_on_precision"]) == ("2020-03", "month")
    assert tiktok["endorsed_earliest"] == "2020-03-05"  # never before the launch
    amazon = companies["amazon"]  # a range, each bound in its own column (issue 30)
    assert (amazon["endorsed_on"], amazon["endorsed_on_precision"]) == (
        "2020-03-05/2021-03-31",
        "range",
    )
    assert (amazon["endorsed_earliest"], amazon["endorsed_latest"]) == ("2020-03-05", "2021-03-31")
    assert tiktok["country"] == ""
    assert "Singapore" in tiktok["country_note"]
    assert companies["x"]["consulted_in_drafting"] == "true"
    former = _csv(client, "former-names")
    assert {(f["company"], f["name"], f["used_until"]) for f in former} == {
        ("meta", "Facebook", "2021-10-28"),
        ("x", "Twitter", "2023-07"),
    }
    sectors = _csv(client, "company-sectors")
    assert {s["company"] for s in sectors} <= set(companies)
    events = _csv(client, "endorsement-events")
    assert {e["company"] for e in events} == set(companies)
    assert all(e["framework_version"] == "2020" for e in events)


def test_updates_come_as_tables_that_join_and_as_nested_documents(client, keys, session):
    submitted = _submitted_update(client, keys)
    meta = session.exec(factories.select_company("meta")).one()
    factories.update(session, meta, {"VP-02": ("planned", "public")}, submitted=False)
    updates = _csv(client, "updates")
    assert [(u["update_id"], u["company"], u["summary"], u["current"]) for u in updates] == [
        (str(submitted["id"]), "meta", "Annual update", "true")
    ]
    entries = _csv(client, "update-entries")
    assert [(e["update_id"], e["principle"]) for e in entries] == [(str(submitted["id"]), "VP-01")]
    entry_id = entries[0]["entry_id"]  # the restricted VP-07 entry is not public
    assert [m["measure"] for m in _csv(client, "entry-measures")] == ["hash_matching", "other"]
    metric = _csv(client, "entry-metrics")[0]
    assert (metric["entry_id"], metric["value"], metric["unit"]) == (entry_id, "1200.0", "count")
    assert _csv(client, "entry-evidence")[0]["url"] == "https://example.org/report"

    lines = client.get("/api/v1/exports/updates.ndjson").text.splitlines()
    [update] = [json.loads(line) for line in lines]
    assert update["framework_version"] == "2020"  # a string, as versions are
    [entry] = update["entries"]
    assert entry["principle"] == "VP-01"
    assert entry["measures"] == [
        {"measure": "hash_matching", "detail": None},
        {"measure": "other", "detail": "Audit"},
    ]
    assert entry["metrics"][0]["value"] == 1200
    assert entry["evidence"] == [{"evidence_id": entry["evidence"][0]["evidence_id"],
                                  "url": "https://example.org/report",
                                  "title": "Transparency report"}]  # fmt: skip


def test_companies_ndjson_has_arrays_not_joined_text(client):
    lines = client.get("/api/v1/exports/companies.ndjson").text.splitlines()
    companies = {c["slug"]: c for c in map(json.loads, lines)}
    assert companies["meta"]["former_names"] == [
        {"name": "Facebook", "used_until": "2021-10-28", "used_until_precision": "day"}
    ]
    assert isinstance(companies["google"]["sectors"], list)
    assert companies["google"]["former_names"] == []  # an empty list, not ""
    assert companies["meta"]["consulted_in_drafting"] is True


@pytest.mark.parametrize(
    "dangerous",
    ['=HYPERLINK("x")', "+1+1", "-2", "@SUM(A1)", '\uff1dHYPERLINK("x")', "\ufe62SUM(A1)"],
)
def test_formulas_are_neutralised_in_csv_only(client, keys, dangerous):
    _submitted_update(client, keys, narrative=dangerous)
    [entry] = _csv(client, "update-entries")
    assert entry["narrative"] == "'" + dangerous
    [update] = [
        json.loads(x) for x in client.get("/api/v1/exports/updates.ndjson").text.splitlines()
    ]
    assert update["entries"][0]["narrative"] == dangerous  # NDJSON keeps the words as written


@pytest.mark.parametrize(
    "hidden", ["\ufeff=1+1", " =1+1", "\u200b@SUM(A1)", "\r\n=1", "\t1", "\uff20SUM(A1)"]
)
def test_a_formula_behind_invisible_characters_is_neutralised(hidden):
    """Text stored before the free-text rule (issue 29) may start with a byte order mark or a
    space; a spreadsheet skips them and runs the formula."""
    assert csv_cell(hidden) == "'" + hidden


@pytest.mark.parametrize("plain", ["Hash matching", "1,200", "\u00e9=", "a=b"])
def test_plain_text_is_left_as_written(plain):
    assert csv_cell(plain) == plain


def test_unknown_table_document_or_format_is_422(client):
    for path in ("keys.csv", "companies.xlsx", "update-entries.ndjson", "audit.ndjson.sha256"):
        response = client.get(f"/api/v1/exports/{path}")
        assert response.status_code in {404, 422}, path
        assert response.headers["content-type"] == "application/problem+json"


def test_a_live_instance_serves_stored_files_from_one_snapshot(live_engine, tmp_path, monkeypatch):
    """Through a real engine (committing sessions, the engine's own snapshot): the files are
    written under the data directory, named by epoch and version, and reused until a change."""
    monkeypatch.setenv("VPR_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    try:
        with TestClient(serve_from(create_app(), live_engine)) as live:
            package = live.get("/api/v1/exports/datapackage.json").json()
            stored = sorted(p.name for p in tmp_path.glob("exports/*/*.csv"))
            assert len(stored) == 9
            assert all(f"-v{package['version'].split('.')[-1]}.csv" in name for name in stored)
            admin = issue_key(Session(live_engine), KeySpec(Role.ADMIN, "t"), "test").plaintext
            created = live.post(
                "/api/v1/companies", json={"slug": "newco", "name": "NewCo"}, headers=auth(admin)
            )
            assert created.status_code == 201, created.text
            after = live.get("/api/v1/exports/companies.csv")
            assert after.headers["etag"] != f'"{package["version"]}"'
            assert "newco" in after.text
    finally:
        get_settings.cache_clear()


def test_a_download_is_sent_after_the_connection_went_back(live_engine):
    """A client reading a large file slowly must not hold a pooled connection: the request's
    session lets it go before the file is sent (the tests' shared session is left alone)."""
    own = new_session(live_engine)
    own.execute(text("SELECT 1"))
    assert live_engine.pool.checkedout() == 1
    give_back_connection(own)
    assert live_engine.pool.checkedout() == 0
    handed_in = Session(live_engine)
    handed_in.execute(text("SELECT 1"))
    give_back_connection(handed_in)
    assert live_engine.pool.checkedout() == 1
    handed_in.close()


def test_a_range_s_bounds_are_exported_with_their_sources(client):
    """Issue 30: a date stated as a range keeps, in the open data, the source of each bound."""
    events = {e["company"]: e for e in _csv(client, "endorsement-events")}
    amazon = events["amazon"]
    assert (amazon["occurred_on"], amazon["precision"]) == ("2020-03-05/2021-03-31", "range")
    assert amazon["latest_source_url"].startswith("https://www.publicsafety.gc.ca/")
    assert amazon["earliest_source_url"].startswith("https://www.justice.gov/")
    assert "in 2020" in amazon["date_note"]
    assert events["meta"]["date_note"] == ""  # a day needs no bounds
