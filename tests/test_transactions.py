"""One owner for every write: a `@transactional` service (or `run_once` for idempotent creates)
opens the write transaction, commits it once, and builds the answer inside it."""

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event
from sqlmodel import select

from app.companies.models import Company
from app.core.db import get_engine, get_session, new_session
from app.core.types import utcnow
from app.keys.models import ApiKey, Role
from app.keys.service import KeySpec, issue_key
from app.main import create_app
from tests.conftest import EngineRows, auth
from tests.test_updates_workflow import DRAFT

SOURCE = "https://example.org/source"


def test_a_write_never_commits_writes_it_does_not_own(live_engine):
    with new_session(live_engine) as session:
        session.add(Company(slug="stray", name="Stray"))
        session.flush()
        with pytest.raises(RuntimeError, match="outside a write transaction"):
            issue_key(session, KeySpec(Role.NGO, "would commit the stray row"), "test")
    with new_session(live_engine) as session:
        assert session.exec(select(Company).where(Company.slug == "stray")).first() is None
        named = select(ApiKey).where(ApiKey.name == "would commit the stray row")
        assert session.exec(named).first() is None


@pytest.fixture
def app_sessions(live_engine) -> Iterator[tuple[TestClient, dict[str, str]]]:
    """An app whose requests get the app's own sessions, over a database of their own."""
    with new_session(live_engine) as session:
        keys = {
            "admin": issue_key(session, KeySpec(Role.ADMIN, "admin"), "test").plaintext,
            "company": issue_key(session, KeySpec(Role.COMPANY, "meta", "meta"), "test").plaintext,
        }
    app: FastAPI = create_app()

    def sessions() -> Iterator[Any]:
        with new_session(live_engine) as session:
            yield session

    app.dependency_overrides[get_session] = sessions
    app.dependency_overrides[get_engine] = lambda: live_engine
    app.state.rows = EngineRows(live_engine)
    with TestClient(app) as client:
        for key in keys.values():  # last use recorded now, not during the writes below
            assert client.get("/api/v1/whoami", headers=auth(key)).status_code == 200
        yield client, keys


WRITES = {
    "create a draft": ("company", "POST", "/api/v1/updates", DRAFT),
    "create a company": ("admin", "POST", "/api/v1/companies", {"slug": "acme", "name": "Acme"}),
    "record an endorsement": (
        "admin",
        "POST",
        "/api/v1/companies/meta/endorsement-events",
        {
            "kind": "withdrawn",
            "occurred_on": "2025-01-02",
            "precision": "day",
            "source_url": SOURCE,
        },
    ),
    "open a cycle": (
        "admin",
        "POST",
        "/api/v1/reporting-cycles",
        {
            "title": "2026 call",
            "opens_on": "2027-01-01",
            "due_on": f"{utcnow().year + 2}-03-01",
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
        },
    ),
    "create a key": ("admin", "POST", "/api/v1/keys", {"role": "ngo", "name": "ngo"}),
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_a_write_commits_once_and_answers_from_its_own_transaction(
    app_sessions, live_engine: Engine, write
):
    client, keys = app_sessions
    role, method, path, body = write
    seen: list[str] = []

    def statement(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        seen.append(sql.split(maxsplit=1)[0].upper())

    def commit(_conn: Any) -> None:
        seen.append("COMMIT")

    event.listen(live_engine, "before_cursor_execute", statement)
    event.listen(live_engine, "commit", commit)
    try:
        response = client.request(method, path, json=body, headers=auth(keys[role]))
    finally:
        event.remove(live_engine, "before_cursor_execute", statement)
        event.remove(live_engine, "commit", commit)
    assert response.status_code == 201, response.text
    assert seen.count("COMMIT") == 1, seen
    assert seen[-1] == "COMMIT"  # the answer was read before the commit, in the same transaction
