"""Framework errors are problem+json too; /healthz and /readyz tell the truth."""

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy import Engine, create_engine

from app.core.db import get_engine
from tests.conftest import answer_when_engine_raises
from tests.databases import engine_for

PROBLEM = "application/problem+json"


def test_unknown_route_is_problem_404(client):
    response = client.get("/api/v1/nothing")
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    assert response.json() == {
        "type": "urn:vpr:problem:not-found",
        "title": "Not Found",
        "status": 404,
        "instance": "/api/v1/nothing",
    }


def test_wrong_method_is_problem_405_with_allow(client):
    response = client.delete("/api/v1/companies")
    assert response.status_code == 405
    assert response.headers["content-type"] == PROBLEM
    assert response.headers["allow"] == "GET, POST"  # both routes at this path


def test_unhandled_errors_are_problem_500_without_internals(app, engine):
    response = answer_when_engine_raises(app, RuntimeError("secret internals"))
    assert response.status_code == 500
    assert response.headers["content-type"] == PROBLEM
    assert "secret" not in response.text


def test_healthz(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_readyz_when_at_head(client):
    body = client.get("/readyz").json()
    assert body["status"] == "ready"
    assert body["revision"]


def _readyz_using(app: FastAPI, engine: Engine) -> Response:
    app.dependency_overrides[get_engine] = lambda: engine
    try:
        with TestClient(app) as client:
            return client.get("/readyz")
    finally:
        app.dependency_overrides.clear()
        engine.dispose()


@pytest.mark.usefixtures("engine")
def test_readyz_when_schema_is_behind(app, fresh_database_url):
    response = _readyz_using(app, engine_for(fresh_database_url))
    assert response.status_code == 503
    assert response.headers["content-type"] == PROBLEM
    assert "vpr migrate" in response.json()["detail"]


def test_readyz_when_database_is_unreachable(app, engine_name, tmp_path):
    url = {
        # A directory cannot be opened as a database file.
        "sqlite": f"sqlite:///{tmp_path}",
        "postgresql": "postgresql+psycopg://postgres@127.0.0.1:1/none",
    }[engine_name]
    response = _readyz_using(app, create_engine(url))
    assert response.status_code == 503
    assert response.json()["detail"] == "The database is unreachable."


def test_oversized_bodies_are_problem_413_and_change_nothing(client, keys, session):
    from tests.fingerprint import database_fingerprint  # noqa: PLC0415

    before = database_fingerprint(session)
    body = {"period_start": "2025-01-01", "period_end": "2025-12-31", "summary": "x" * 2_000_000}
    response = client.post(
        "/api/v1/updates", json=body, headers={"Authorization": f"Bearer {keys['company']}"}
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM
    assert database_fingerprint(session) == before


def test_malformed_json_is_a_problem(client, keys):
    response = client.post(
        "/api/v1/updates",
        content=b"{not json",
        headers={"Authorization": f"Bearer {keys['company']}", "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["type"] == "urn:vpr:problem:malformed-json"


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        ("text/plain", 415),
        ("application/x-www-form-urlencoded", 415),
        ("application/xml", 415),
        (None, 415),
        ("application/json; charset=utf-8", 201),
    ],
)
def test_bodies_must_be_declared_json(client, keys, session, content_type, expected):
    from tests.fingerprint import database_fingerprint  # noqa: PLC0415

    before = database_fingerprint(session)
    headers = {"Authorization": f"Bearer {keys['company']}"}
    if content_type:
        headers["Content-Type"] = content_type
    body = b'{"period_start": "2025-01-01", "period_end": "2025-12-31", "summary": "s"}'
    response = client.post("/api/v1/updates", content=body, headers=headers)
    assert response.status_code == expected, response.text
    if expected == 415:
        assert response.headers["content-type"] == PROBLEM
        assert database_fingerprint(session) == before


def test_database_outage_is_problem_503_with_retry_after(app, engine_name, tmp_path):
    url = {
        "sqlite": f"sqlite:///{tmp_path}",
        "postgresql": "postgresql+psycopg://postgres@127.0.0.1:1/none",
    }[engine_name]
    unreachable = create_engine(url)
    app.dependency_overrides[get_engine] = lambda: unreachable
    try:
        with TestClient(app) as client:
            response = client.get("/api/v1/companies")
    finally:
        app.dependency_overrides.clear()
        unreachable.dispose()
    assert response.status_code == 503
    assert response.headers["content-type"] == PROBLEM
    assert int(response.headers["retry-after"]) > 0


def test_oversized_streamed_bodies_are_problem_413(client, keys):
    def chunks():
        for _ in range(40):
            yield b"x" * 65_536

    response = client.post(
        "/api/v1/updates",
        content=chunks(),
        headers={"Authorization": f"Bearer {keys['company']}", "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM


def test_a_value_the_database_refuses_is_422_not_500(app):
    from sqlalchemy.exc import DataError  # noqa: PLC0415

    refused = DataError("INSERT ...", {}, Exception("integer out of range"))
    response = answer_when_engine_raises(app, refused)
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert "out of range" not in response.text
