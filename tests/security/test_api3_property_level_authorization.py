"""API3:2023 Broken Object Property Level Authorization: no field can be set that the caller
does not own (mass assignment), and no answer carries a field the caller may not see."""

import pytest

from tests.conftest import auth

DRAFT = {"period_start": "2025-01-01", "period_end": "2025-12-31", "summary": "s"}


@pytest.mark.parametrize(
    "smuggled",
    [
        {"company_id": 2},
        {"company": "google"},
        {"state": "submitted"},
        {"id": 1},
        {"version": 99},
        {"submitted_at": "2025-01-01T00:00:00Z"},
    ],
)
def test_server_owned_fields_cannot_be_sent(client, keys, smuggled, session):
    from tests.fingerprint import database_fingerprint  # noqa: PLC0415

    before = database_fingerprint(session)
    response = client.post("/api/v1/updates", json=DRAFT | smuggled, headers=auth(keys["company"]))
    assert response.status_code == 422
    assert response.json()["errors"][0]["type"] == "extra_forbidden"
    assert database_fingerprint(session) == before


def test_a_draft_is_written_for_the_keys_company_only(client, keys):
    response = client.post("/api/v1/updates", json=DRAFT, headers=auth(keys["company"]))
    assert response.json()["company"] == "meta"


def test_a_key_cannot_raise_its_own_role(client, keys):
    key_id = keys["company"].split("_")[1]
    response = client.patch(
        f"/api/v1/keys/{key_id}", json={"role": "admin"}, headers=auth(keys["company"])
    )
    assert response.status_code == 404  # there is no route that changes a key's role at all


def test_key_listings_never_show_hashes_or_secrets(client, keys):
    response = client.get("/api/v1/keys", headers=auth(keys["admin"]))
    assert response.status_code == 200
    for listed in response.json():
        assert not {"secret_hash", "hash", "secret", "plaintext", "key"} & set(listed)
    for plaintext in keys.values():
        assert plaintext.split("_")[2] not in response.text


def test_draft_narratives_stay_out_of_public_answers(client, keys):
    entry = {"principle": "VP-01", "status": "planned", "narrative": "private working notes"}
    body = DRAFT | {"entries": [entry]}
    created = client.post("/api/v1/updates", json=body, headers=auth(keys["company"]))
    assert created.status_code == 201
    for path in ("/api/v1/updates", "/api/v1/search?q=private", "/api/v1/companies/meta"):
        assert "private working notes" not in client.get(path).text, path
