"""Administrators curate companies and endorsements; every earlier state stays readable."""

import pytest

from tests.conftest import auth
from tests.fingerprint import database_fingerprint

NEW = {
    "slug": "discord",
    "name": "Discord",
    "country": "us",
    "sectors": ["messaging", "gaming"],
    "website": "https://discord.com",
    "former_names": [{"name": "Hammer & Chisel"}],
}


def _create(client, keys, body=None):
    return client.post("/api/v1/companies", json=body or NEW, headers=auth(keys["admin"]))


def test_create_company(client, keys):
    response = _create(client, keys)
    assert response.status_code == 201, response.text
    assert response.headers["location"] == "/api/v1/companies/discord"
    assert response.headers["etag"]
    body = response.json()
    assert (body["country"], body["sectors"]) == ("US", ["gaming", "messaging"])
    assert body["former_names"] == [{"name": "Hammer & Chisel", "used_until": None}]
    assert _create(client, keys).status_code == 409


@pytest.mark.parametrize(
    "change",
    [
        {"id": 5},
        {"status": "endorsed"},
        {"created_at": "2020-01-01T00:00:00Z"},
        {"name": "x" * 201},
        {"website": "http://discord.com"},
        {"country": "XX"},
        {"sectors": ["crypto"]},
        {"sectors": ["gaming", "gaming"]},
        {"slug": "Not A Slug"},
    ],
)
def test_bad_company_bodies_are_422_and_change_nothing(client, keys, session, change):
    before = database_fingerprint(session)
    response = _create(client, keys, NEW | change)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert database_fingerprint(session) == before


def test_change_needs_the_current_etag(client, keys):
    etag = _create(client, keys).headers["etag"]
    url, admin = "/api/v1/companies/discord", auth(keys["admin"])
    missing = client.patch(url, json={"name": "Discord Inc."}, headers=admin)
    assert missing.status_code == 428
    changed = client.patch(url, json={"name": "Discord Inc."}, headers=admin | {"If-Match": etag})
    assert changed.status_code == 200, changed.text
    assert changed.json()["name"] == "Discord Inc."
    assert changed.headers["etag"] != etag
    stale = client.patch(url, json={"name": "Again"}, headers=admin | {"If-Match": etag})
    assert stale.status_code == 412
    assert client.get(url).json()["name"] == "Discord Inc."


def test_history_keeps_every_state_with_who_and_when(client, keys):
    etag = _create(client, keys).headers["etag"]
    client.patch(
        "/api/v1/companies/discord",
        json={"name": "Discord Inc.", "former_names": []},
        headers=auth(keys["admin"]) | {"If-Match": etag},
    )
    history = client.get("/api/v1/companies/discord/history").json()["items"]
    assert [h["action"] for h in history] == ["company.created", "company.changed"]
    assert history[0]["state"]["name"] == "Discord"
    assert history[0]["state"]["former_names"] == [{"name": "Hammer & Chisel", "used_until": None}]
    assert history[1]["state"]["former_names"] == []
    # Anonymous readers learn the role; administrators also the key (issue 12).
    assert {h["actor"]["role"] for h in history} == {"registry administrator"}
    assert {h["actor"]["key_id"] for h in history} == {None}
    admin_key_id = keys["admin"].split("_")[1]
    as_admin = client.get("/api/v1/companies/discord/history", headers=auth(keys["admin"])).json()[
        "items"
    ]
    assert {h["actor"]["key_id"] for h in as_admin} == {admin_key_id}
    assert all(h["at"].endswith("Z") for h in history)


def test_endorsement_events_keep_full_history(client, keys):
    url = "/api/v1/companies/snap/endorsement-events"
    event = {
        "kind": "withdrawn",
        "occurred_on": "2025-06",  # a month, as the API prints it
        "source_url": "https://example.org/snap-withdraws",
        "note": "Test withdrawal",
    }
    response = client.post(url, json=event, headers=auth(keys["admin"]))
    assert response.status_code == 201, response.text
    assert response.json()["occurred_on"]["value"] == "2025-06"
    snap = client.get("/api/v1/companies/snap").json()
    assert snap["endorsement"]["status"] == "withdrawn"
    assert [e["kind"] for e in snap["endorsement_history"]] == ["endorsed", "withdrawn"]
    history = client.get("/api/v1/companies/snap/history").json()["items"]
    assert history[-1]["action"] == "endorsement.withdrawn"


@pytest.mark.parametrize(
    "change",
    [
        {"occurred_on": "2999-01-01"},
        {"precision": "week"},
        {"source_url": "http://insecure.example"},
        {"kind": "paused"},
        {"milestone": "no-such-milestone"},
        {"framework_version": "1999"},
        {"company_id": 3},
        {"note": "x" * 2001},
    ],
)
def test_bad_endorsement_events_are_refused_and_change_nothing(client, keys, session, change):
    event = {
        "kind": "endorsed",
        "occurred_on": "2024-01-01",
        "precision": "day",
        "source_url": "https://example.org/x",
    }
    before = database_fingerprint(session)
    response = client.post(
        "/api/v1/companies/snap/endorsement-events",
        json=event | change,
        headers=auth(keys["admin"]),
    )
    assert response.status_code in {404, 422}, response.text
    assert database_fingerprint(session) == before


def test_a_company_key_cannot_curate(client, keys, session):
    before = database_fingerprint(session)
    etag = client.get("/api/v1/companies/meta").headers["etag"]
    response = client.patch(
        "/api/v1/companies/meta",
        json={"name": "Hacked"},
        headers=auth(keys["company"]) | {"If-Match": etag},
    )
    assert response.status_code == 403
    assert database_fingerprint(session) == before


def test_a_new_companys_first_version_is_v1(client, keys):
    body = {"slug": "discord", "name": "Discord", "country": "US", "sectors": ["messaging"]}
    created = client.post("/api/v1/companies", json=body, headers=auth(keys["admin"]))
    assert created.status_code == 201, created.text
    assert created.headers["etag"].endswith('-v1"')
    shown = client.get("/api/v1/companies/discord").headers["etag"]
    assert shown.startswith(created.headers["etag"][:-1])  # the same version, as read
