"""The seed is part of the record: history, change feed and audit are complete from record 1,
and history entries are public documents (slugs and URLs, ISO 8601, roles instead of key ids)."""

import re
from typing import Any

from sqlmodel import select

from app.audit.models import AuditRecord
from app.seeding.loader import load_seed
from tests.conftest import auth

SEEDED = {"amazon", "google", "match-group", "meta", "microsoft", "roblox", "snap", "tiktok", "x",
          "spark-new-zealand", "one-new-zealand"}  # fmt: skip
ISO_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")


def test_a_seeded_company_has_its_history_from_the_seed(client):
    history = client.get("/api/v1/companies/meta/history").json()["items"]
    assert [entry["action"] for entry in history] == ["company.created", "endorsement.endorsed"]
    created, endorsed = history
    assert created["actor"] == {
        "role": "registry seed",
        "organisation": "the registry's initial data",
        "key_id": None,
    }
    assert created["state"]["slug"] == "meta"
    assert endorsed["state"]["company"] == "meta"
    assert endorsed["state"]["company_url"] == "/api/v1/companies/meta"
    assert endorsed["state"]["occurred_on"]["earliest"] == "2020-03-05"
    assert ISO_UTC.match(endorsed["state"]["recorded_at"]), endorsed["state"]["recorded_at"]
    assert ISO_UTC.match(created["at"].replace("+00:00", "Z")), created["at"]
    text = str(history)
    assert "company_id" not in text
    assert "milestone_id" not in text


def test_the_change_feed_starts_with_the_seed(client):
    items = client.get("/api/v1/changes?since=0&limit=200").json()["items"]
    created = {i["url"].rsplit("/", 1)[-1] for i in items if i["action"] == "company.created"}
    assert created == SEEDED
    assert sum(i["action"] == "endorsement.endorsed" for i in items) == len(SEEDED)
    assert sum(i["action"] == "milestone.created" for i in items) == 11


def test_the_seed_names_its_file_and_digest_and_a_rerun_adds_nothing(session):
    records = session.exec(select(AuditRecord).where(AuditRecord.actor == "seed")).all()
    assert records
    assert all(
        re.match(r"^seed \w+\.toml sha256:[0-9a-f]{64}$", r.request_id or "") for r in records
    )
    load_seed(session)
    again = session.exec(select(AuditRecord).where(AuditRecord.actor == "seed")).all()
    assert len(again) == len(records)


def test_readers_see_the_actors_role_and_administrators_its_key(client, keys):
    admin = auth(keys["admin"])
    body = {"kind": "withdrawn", "occurred_on": "2025-06", "source_url": "https://example.org/s"}
    assert (
        client.post(
            "/api/v1/companies/snap/endorsement-events", json=body, headers=admin
        ).status_code
        == 201
    )
    public = client.get("/api/v1/companies/snap/history").json()["items"][-1]["actor"]
    assert public == {"role": "registry administrator", "organisation": None, "key_id": None}
    shown = client.get("/api/v1/companies/snap/history", headers=admin).json()["items"][-1]["actor"]
    assert shown["key_id"] == keys["admin"].split("_")[1]


def test_one_place_to_start(client):
    # The home page (issue 14; it was a redirect to the index until then) names the index.
    root = client.get("/", follow_redirects=False)
    assert root.status_code == 200
    assert '<link rel="alternate" type="application/json" href="/api/v1">' in root.text
    index = client.get("/api/v1")
    assert index.status_code == 200
    assert "etag" in index.headers
    body = index.json()
    assert "not verification" in body["notice"]
    assert body["framework_versions"] == ["2020"]
    for url in body["resources"].values():
        assert client.get(url.replace("{words}", "safety")).status_code == 200, url
    coverage = body["coverage"]
    assert (coverage["endorsers_recorded"], coverage["endorsers_stated"]) == (len(SEEDED), 16)
    assert coverage["official_list"].startswith("https://www.weprotect.org/")
    assert (
        "statement of 2022-03-24 counted 16 companies endorsing, and named none"
        in (coverage["notice"])
    )
    assert "records 11 endorsing now" in coverage["notice"]
    # Issue 30: of the 16 the ministers counted, how many the registry holds, and how many
    # later (or possibly later: Spark's and One New Zealand's dates run to May 2024).
    assert body["coverage_at_statement"] == {
        "stated_on": "2022-03-24", "endorsers_stated": 16,
        "recorded_by_then": 9, "recorded_after_or_undated": 2,
    }  # fmt: skip


def test_the_company_list_says_what_the_registry_holds(client):
    body = client.get("/api/v1/companies?limit=2").json()
    assert body["coverage"]["endorsers_recorded"] == len(SEEDED)
    assert body["coverage"]["endorsers_stated"] == 16


def _follow(client, since: int = 0) -> list[dict[str, Any]]:
    """What a dashboard does: follow the feed from a cursor, page after page, to its end."""
    items: list[dict[str, Any]] = []
    url = f"/api/v1/changes?since={since}&limit=7"
    while True:
        page = client.get(url).json()
        if not page["items"]:  # caught up; `next` stays, to poll later
            return items
        items += page["items"]
        url = page["next"]


def test_following_the_feed_from_0_rebuilds_every_company_and_event(client, keys):
    admin = auth(keys["admin"])
    created = client.post(
        "/api/v1/companies",
        json={"slug": "newco", "name": "NewCo", "sectors": ["gaming"], "country": "GB"},
        headers=admin,
    )
    assert created.status_code == 201, created.text
    renamed = client.patch(
        "/api/v1/companies/newco",
        json={"name": "NewCo Group", "former_names": [{"name": "NewCo", "used_until": "2025-02"}]},
        headers=admin | {"If-Match": created.headers["etag"]},
    )
    assert renamed.status_code == 200, renamed.text
    endorsed = {"kind": "endorsed", "occurred_on": "2025-03", "source_url": "https://example.org/e"}
    event = client.post("/api/v1/companies/newco/endorsement-events", json=endorsed, headers=admin)
    assert event.status_code == 201, event.text
    mistake = {"kind": "withdrawn", "occurred_on": "2025-06-01", "source_url": "https://x.org/w"}
    wrong = client.post("/api/v1/companies/snap/endorsement-events", json=mistake, headers=admin)
    retraction = {"reason": "Wrong company."}
    url = f"/api/v1/companies/snap/endorsement-events/{wrong.json()['id']}/retraction"
    assert client.post(url, json=retraction, headers=admin).status_code == 201

    companies: dict[str, dict[str, Any]] = {}
    events: dict[int, dict[str, Any]] = {}
    for item in _follow(client):
        if item["action"].startswith("company."):
            companies[item["state"]["slug"]] = item["state"]
        elif item["action"].startswith("endorsement."):
            events[item["state"]["id"]] = item["state"]

    listed = client.get("/api/v1/companies?limit=100").json()
    assert set(companies) == {c["slug"] for c in listed["items"]}
    for slug, replayed in companies.items():
        served = client.get(f"/api/v1/companies/{slug}").json()
        for field in ("name", "country", "country_note", "website", "sectors", "former_names"):
            assert served[field] == replayed[field], (slug, field)
        assert served["endorsement_history"] == sorted(
            (e for e in events.values() if e["company"] == slug),
            key=lambda e: (e["occurred_on"]["earliest"], e["id"]),
        ), slug
    assert events[wrong.json()["id"]]["retracted"]["reason"] == "Wrong company."
