"""API2:2023 Broken Authentication: keys only in the Authorization header, stored as HMACs,
refused when missing, malformed, forged, expired or revoked, and never echoed or logged."""

from datetime import timedelta

import pytest
from sqlalchemy import text

from app.core.types import utcnow
from app.keys.models import Role
from app.keys.service import KeySpec, issue_key
from tests.conftest import auth

WRITE = ("/api/v1/updates", {"period_start": "2025-01-01", "period_end": "2025-12-31"})


def test_no_key_is_401_with_a_challenge(client):
    response = client.post(WRITE[0], json=WRITE[1])
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header", ["Bearer", "Bearer nonsense", "Basic dXNlcjpwYXNz", "Token vpr_x", "vpr_abc"]
)
def test_malformed_credentials_are_401(client, header):
    response = client.post(WRITE[0], json=WRITE[1], headers={"Authorization": header})
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"


def test_a_key_with_a_valid_shape_but_a_forged_secret_is_401(client, keys):
    real = keys["company"]
    key_id = real.split("_")[1]
    import zlib  # noqa: PLC0415

    secret = "A" * 40
    forged = f"vpr_{key_id}_{secret}_{zlib.crc32(f'{key_id}_{secret}'.encode()):08x}"
    assert client.post(WRITE[0], json=WRITE[1], headers=auth(forged)).status_code == 401


def test_expired_and_revoked_keys_are_401(client, keys, session):
    expiring = issue_key(
        session,
        KeySpec(Role.COMPANY, "expiring", company="meta", expires_at=utcnow() + timedelta(1)),
        "test",
    )
    assert client.post(WRITE[0], json=WRITE[1], headers=auth(expiring.plaintext)).status_code == 201
    session.execute(
        text("UPDATE api_key SET expires_at = :past WHERE key_id = :key_id"),
        {"past": utcnow() - timedelta(seconds=1), "key_id": expiring.plaintext.split("_")[1]},
    )
    session.expire_all()  # the request shares this session: let it read the row again
    assert client.post(WRITE[0], json=WRITE[1], headers=auth(expiring.plaintext)).status_code == 401
    key_id = keys["ngo"].split("_")[1]
    revoked = client.post(f"/api/v1/keys/{key_id}/revoke", headers=auth(keys["admin"]))
    assert revoked.status_code == 200
    assert client.get("/api/v1/companies", headers=auth(keys["ngo"])).status_code == 401


def test_keys_in_the_url_are_refused(client, keys):
    response = client.get(f"/api/v1/companies?api_key={keys['ngo']}")
    assert response.status_code == 400
    assert keys["ngo"] not in response.text


@pytest.mark.parametrize(
    "query",
    ["q={key}", "credential={key}", "q=see+{key}+here", "{key}=1", "sort=name&x={key}"],
)
def test_a_key_is_refused_under_any_parameter_name(client, keys, query):
    """Matched by the key's shape, not by a list of names: a key pasted into any parameter
    is refused before it reaches a log line or a cache key."""
    response = client.get("/api/v1/companies?" + query.format(key=keys["ngo"]))
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert keys["ngo"] not in response.text


def test_only_hmacs_are_stored(client, keys, session):
    rows = session.execute(text("SELECT * FROM api_key")).all()
    stored = " ".join(str(value) for row in rows for value in row)
    for plaintext in keys.values():
        assert plaintext not in stored
        assert plaintext.split("_")[2] not in stored  # not even the secret part


def test_keys_never_reach_the_logs(client, keys, caplog):
    client.get("/api/v1/companies", headers=auth(keys["government"]))
    client.post(WRITE[0], json=WRITE[1], headers=auth(keys["company"]))
    logged = " ".join(record.getMessage() + str(vars(record)) for record in caplog.records)
    assert keys["government"] not in logged
    assert keys["company"] not in logged
