"""The audit trail: every write with its actor, request id and digests; read by admins only;
append-only, down to the database itself."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from tests.conftest import auth

DRAFT = {"period_start": "2025-01-01", "period_end": "2025-12-31", "summary": "Progress."}


def _write(client, keys, request_id: str) -> int:
    headers = auth(keys["company"]) | {"X-Request-ID": request_id}
    response = client.post("/api/v1/updates", json=DRAFT, headers=headers)
    assert response.status_code == 201
    return int(response.json()["id"])


def test_a_write_is_recorded_with_actor_request_id_and_digests(client, keys):
    update_id = _write(client, keys, "audit-req-1")
    response = client.get("/api/v1/audit?request_id=audit-req-1", headers=auth(keys["admin"]))
    assert response.status_code == 200
    [entry] = response.json()["items"]
    assert entry["action"] == "update.created"
    assert entry["resource_type"] == "update"
    assert entry["resource_id"] == update_id
    assert entry["actor"] == keys["company"].split("_")[1]  # the key id, never the key
    assert entry["before_digest"] is None
    assert len(entry["after_digest"]) == 64
    assert entry["at"]
    assert keys["company"] not in response.text
    # A draft is 404 to administrators everywhere else: the audit keeps its digest only.
    assert entry["after"] is None
    assert "Progress." not in response.text


def test_filters_combine_and_pages_follow_the_cursor(client, keys):
    for n in range(3):
        _write(client, keys, f"audit-page-{n}")
    admin = auth(keys["admin"])
    actor = keys["company"].split("_")[1]
    first = client.get(f"/api/v1/audit?actor={actor}&action=update.created&limit=2", headers=admin)
    body = first.json()
    assert [e["request_id"] for e in body["items"]] == ["audit-page-0", "audit-page-1"]
    assert body["more"] is True
    rest = client.get(body["next"], headers=admin).json()
    assert [e["request_id"] for e in rest["items"]] == ["audit-page-2"]
    assert rest["more"] is False
    assert client.get("/api/v1/audit?actor=nobody", headers=admin).json()["items"] == []


def test_time_bounds(client, keys):
    _write(client, keys, "audit-time")
    admin = auth(keys["admin"])
    past = client.get(
        "/api/v1/audit?request_id=audit-time&until=2000-01-01T00:00:00Z", headers=admin
    )
    recent = client.get(
        "/api/v1/audit?request_id=audit-time&from=2000-01-01T00:00:00%2B00:00", headers=admin
    )
    assert past.json()["items"] == []
    assert len(recent.json()["items"]) == 1


@pytest.mark.parametrize("role", ["government", "ngo", "company"])
def test_only_admins_read_it(client, keys, role):
    response = client.get("/api/v1/audit", headers=auth(keys[role]))
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"


def test_a_key_is_needed(client):
    assert client.get("/api/v1/audit").status_code == 401


@pytest.mark.parametrize(
    "query",
    [
        "colour=blue",
        "from=2025-01-01T00:00:00",
        "from=0",
        "limit=0",
        "limit=1001",
        "since=-1",
        "resource_id=4611686018427387903",  # beyond the column (found by schemathesis)
    ],
)
def test_bad_queries_are_422(client, keys, query):
    response = client.get(f"/api/v1/audit?{query}", headers=auth(keys["admin"]))
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_no_route_changes_it(client, keys, method):
    response = client.request(method, "/api/v1/audit", headers=auth(keys["admin"]), json={})
    assert response.status_code == 405


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_record SET actor = 'someone else'", "DELETE FROM audit_record"],
)
def test_the_database_refuses_to_change_or_remove_records(client, keys, session, statement):
    _write(client, keys, "audit-tamper")
    with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
        session.execute(text(statement))
    count = session.execute(text("SELECT count(*) FROM audit_record")).scalar()
    assert (count or 0) > 0


def test_truncate_is_refused_too(client, keys, session, engine_name):
    _write(client, keys, "audit-truncate")
    # SQLite has no TRUNCATE: its "DELETE FROM" without WHERE, refused above, is the same.
    statement = {
        "postgresql": "TRUNCATE audit_record CASCADE",
        "sqlite": "DELETE FROM audit_record",
    }
    with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
        session.execute(text(statement[engine_name]))


def test_the_server_keeps_its_own_request_id_beside_the_clients(client, keys):
    """A client chooses its X-Request-ID, and two writes may send the same one: each record also
    carries the server's own id of its request, unique."""
    _write(client, keys, "chosen-by-the-client")
    _write(client, keys, "chosen-by-the-client")
    listed = client.get(
        "/api/v1/audit?request_id=chosen-by-the-client", headers=auth(keys["admin"])
    ).json()["items"]
    assert len(listed) == 2
    server_ids = {record["server_request_id"] for record in listed}
    assert len(server_ids) == 2
    assert all(len(server_id) == 32 for server_id in server_ids)
