"""API6:2023 Unrestricted Access to Sensitive Business Flows. The registry's sensitive flows are
issuing keys, submitting updates and recording endorsements: each is limited to its role,
audited with its actor, safe to retry, and its rate is capped per key."""

from sqlalchemy import text

from tests.conftest import auth

DRAFT = {"period_start": "2025-01-01", "period_end": "2025-12-31", "summary": "s"}


def test_a_retried_submission_is_recorded_once(client, keys, session):
    headers = auth(keys["company"]) | {"Idempotency-Key": "retry-me"}
    first = client.post("/api/v1/updates", json=DRAFT, headers=headers)
    again = client.post("/api/v1/updates", json=DRAFT, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    count = session.execute(
        text("SELECT count(*) FROM implementation_update WHERE id = :id"),
        {"id": first.json()["id"]},
    ).scalar()
    assert count == 1


def test_a_reused_idempotency_key_with_another_body_is_refused(client, keys):
    headers = auth(keys["company"]) | {"Idempotency-Key": "one-use"}
    assert client.post("/api/v1/updates", json=DRAFT, headers=headers).status_code == 201
    changed = client.post("/api/v1/updates", json=DRAFT | {"summary": "t"}, headers=headers)
    assert changed.status_code == 422


def test_issuing_a_key_is_audited_with_its_issuer(client, keys):
    created = client.post(
        "/api/v1/keys",
        json={"name": "new ngo", "role": "ngo"},
        headers=auth(keys["admin"]) | {"X-Request-ID": "issue-1"},
    )
    assert created.status_code == 201
    audit = client.get("/api/v1/audit?request_id=issue-1", headers=auth(keys["admin"])).json()
    [entry] = audit["items"]
    assert entry["actor"] == keys["admin"].split("_")[1]
    assert created.json()["key"] not in str(entry)


def test_idempotency_keys_are_per_company(client, keys):
    shared = {"Idempotency-Key": "same-key"}
    meta = client.post("/api/v1/updates", json=DRAFT, headers=auth(keys["company"]) | shared)
    google = client.post(
        "/api/v1/updates", json=DRAFT, headers=auth(keys["other_company"]) | shared
    )
    assert meta.status_code == google.status_code == 201
    assert meta.json()["id"] != google.json()["id"]  # no replay of another company's answer
    assert google.json()["company"] == "google"
