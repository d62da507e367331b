"""API keys: shown once, stored as HMAC, refused when missing, malformed, expired or revoked."""

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from app.core.security import hash_key
from app.core.types import utcnow
from app.keys.models import ApiKey
from tests.conftest import auth

BEARER = 'Bearer realm="vpr"'
INVALID = 'Bearer realm="vpr", error="invalid_token"'


def _key_row(session: Session, plaintext: str) -> ApiKey:
    key_id = plaintext.split("_")[1]
    return session.exec(select(ApiKey).where(ApiKey.key_id == key_id)).one()


def test_admin_creates_a_key_shown_once(client, keys, session):
    body = {"name": "Ofcom team", "role": "government", "government": "Ofcom"}
    response = client.post("/api/v1/keys", json=body, headers=auth(keys["admin"]))
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["key"].startswith("vpr_")
    row = _key_row(session, created["key"])
    assert row.secret_hash == hash_key(created["key"])
    assert created["key"] not in row.secret_hash
    listed = client.get("/api/v1/keys", headers=auth(keys["admin"])).json()["items"]
    assert created["id"] in {k["id"] for k in listed}
    assert all("key" not in k for k in listed)
    assert client.get("/api/v1/whoami", headers=auth(created["key"])).json()["government"] == (
        "Ofcom"
    )


@pytest.mark.parametrize(
    "body",
    [
        {"name": "x", "role": "company"},
        {"name": "x", "role": "ngo", "company": "meta"},
        {"name": "x", "role": "government"},
        {"name": "x", "role": "company", "company": "no-such-company"},
        {"name": "x", "role": "superuser"},
        {"name": "x", "role": "ngo", "secret_hash": "0" * 64},
        {"name": "x" * 201, "role": "ngo"},
        {"name": "x", "role": "ngo", "expires_at": "2001-01-01T00:00:00Z"},
        {"name": "x", "role": "ngo", "expires_at": "2030-01-01T00:00:00"},
    ],
)
def test_bad_key_requests_are_422(client, keys, body):
    response = client.post("/api/v1/keys", json=body, headers=auth(keys["admin"]))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"


def test_missing_key_on_a_write_is_401(client):
    response = client.post("/api/v1/updates", json={})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == BEARER


@pytest.mark.parametrize(
    "header",
    [
        "Bearer vpr_short",
        "Bearer " + "vpr_abcdefgh_" + "A" * 40 + "_00000000",  # check digits do not match
        "Basic dXNlcjpwYXNz",
        "Bearer",
    ],
)
def test_malformed_keys_are_401(client, header):
    response = client.get("/api/v1/whoami", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == INVALID


def test_a_well_formed_key_with_a_wrong_secret_is_401(client, keys):
    prefix, key_id, secret, _ = keys["ngo"].split("_")
    forged_secret = secret[:-1] + ("A" if secret[-1] != "A" else "B")
    import zlib  # noqa: PLC0415

    check = f"{zlib.crc32(f'{key_id}{forged_secret}'.encode()):08x}"
    forged = f"{prefix}_{key_id}_{forged_secret}_{check}"
    assert client.get("/api/v1/whoami", headers=auth(forged)).status_code == 401


def test_revoked_and_expired_keys_are_401(client, keys, session):
    revoke = client.post(
        f"/api/v1/keys/{keys['ngo'].split('_')[1]}/revoke", headers=auth(keys["admin"])
    )
    assert revoke.status_code == 200
    response = client.get("/api/v1/whoami", headers=auth(keys["ngo"]))
    assert (response.status_code, response.json()["detail"]) == (
        401,
        "The API key has been revoked.",
    )

    row = _key_row(session, keys["government"])
    row.expires_at = utcnow() - timedelta(seconds=1)
    session.add(row)
    session.commit()
    response = client.get("/api/v1/whoami", headers=auth(keys["government"]))
    assert (response.status_code, response.json()["detail"]) == (401, "The API key has expired.")


def test_rotation_revokes_the_old_key(client, keys):
    key_id = keys["company"].split("_")[1]
    rotated = client.post(f"/api/v1/keys/{key_id}/rotate", headers=auth(keys["admin"]))
    assert rotated.status_code == 201
    new = rotated.json()
    assert (new["role"], new["company"]) == ("company", "meta")
    assert client.get("/api/v1/whoami", headers=auth(keys["company"])).status_code == 401
    assert client.get("/api/v1/whoami", headers=auth(new["key"])).status_code == 200
    again = client.post(f"/api/v1/keys/{key_id}/rotate", headers=auth(keys["admin"]))
    assert again.status_code == 409


def test_keys_in_the_query_string_are_refused(client, keys):
    response = client.get(f"/api/v1/companies?api_key={keys['ngo']}")
    assert response.status_code == 400
    assert "Authorization header" in response.json()["detail"]


def test_last_used_is_recorded(client, keys, session):
    client.get("/api/v1/whoami", headers=auth(keys["ngo"]))
    assert _key_row(session, keys["ngo"]).last_used_at is not None


def test_unknown_key_id_is_404(client, keys):
    response = client.post("/api/v1/keys/zzzzzzzz/revoke", headers=auth(keys["admin"]))
    assert response.status_code == 404
