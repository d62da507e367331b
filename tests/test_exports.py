"""Exports: every format streams, checksums verify, and spreadsheet formulas are neutralised."""

import csv
import hashlib
import io
import json

import pytest

from tests import factories

EXPORTS = [
    f"{d}.{f}" for d in ("companies", "endorsement-events", "updates") for f in ("csv", "ndjson")
]


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
    assert "attachment" in export.headers["content-disposition"]


def test_companies_export_holds_the_public_record(client):
    rows = list(csv.DictReader(io.StringIO(client.get("/api/v1/exports/companies.csv").text)))
    by_slug = {r["slug"]: r for r in rows}
    assert len(rows) == 9
    assert by_slug["meta"]["former_names"] == "Facebook"
    assert (by_slug["tiktok"]["endorsed_on"], by_slug["tiktok"]["endorsed_on_precision"]) == (
        "2020-03",
        "month",
    )
    assert by_slug["x"]["consulted_in_drafting"] == "true"


def test_updates_export_is_the_public_view(client, session):
    meta = session.exec(factories.select_company("meta")).one()
    factories.update(
        session, meta, {"VP-01": ("implemented", "public"), "VP-07": ("planned", "restricted")}
    )
    factories.update(session, meta, {"VP-02": ("planned", "public")}, submitted=False)
    lines = client.get("/api/v1/exports/updates.ndjson").text.splitlines()
    entries = [json.loads(line) for line in lines]
    assert [(e["company"], e["principle"], e["status"]) for e in entries] == [
        ("meta", "VP-01", "implemented")
    ]


@pytest.mark.parametrize("dangerous", ['=HYPERLINK("x")', "+1+1", "-2", "@SUM(A1)"])
def test_csv_cells_that_look_like_formulas_are_neutralised(client, session, dangerous):
    factories.company(session, "formula", dangerous)
    rows = list(csv.DictReader(io.StringIO(client.get("/api/v1/exports/companies.csv").text)))
    name = next(r["name"] for r in rows if r["slug"] == "formula")
    assert name == "'" + dangerous
    ndjson = client.get("/api/v1/exports/companies.ndjson").text
    assert json.dumps(dangerous)[1:-1] in ndjson  # NDJSON keeps the text as it is


def test_unknown_dataset_or_format_is_422(client):
    assert client.get("/api/v1/exports/keys.csv").status_code == 422
    assert client.get("/api/v1/exports/companies.xlsx").status_code == 422
