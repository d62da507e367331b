"""Concurrent retries and racing writers, on a database where every request really commits."""

import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx2
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func
from sqlmodel import Session, select

from app.keys.models import Role
from app.keys.service import KeySpec, issue_key
from app.updates.models import IdempotencyRecord, ImplementationUpdate
from tests.conftest import auth, serve_from
from tests.servers import Instance
from tests.test_updates_workflow import DRAFT as SUBMITTABLE

WRITERS = 8
DRAFT = {"period_start": "2025-01-01", "period_end": "2025-12-31", "entries": []}


@pytest.fixture
def live(app: FastAPI, live_engine: Any) -> Iterator[tuple[Any, str]]:
    with Session(live_engine, expire_on_commit=False) as session:
        key = issue_key(session, KeySpec(Role.COMPANY, "meta", company="meta"), "test").plaintext
    serve_from(app, live_engine)
    try:
        yield live_engine, key
    finally:
        app.dependency_overrides.clear()


def _all_at_once(app: FastAPI, request: Any) -> list[Any]:
    start = threading.Barrier(WRITERS)

    def one(_: int) -> Any:
        with TestClient(app) as client:
            start.wait()
            return request(client)

    with ThreadPoolExecutor(WRITERS) as pool:
        return list(pool.map(one, range(WRITERS)))


def _count(engine: Any, model: Any) -> int:
    with Session(engine) as session:
        return int(session.exec(select(func.count()).select_from(model)).one())


def test_concurrent_retries_with_one_idempotency_key_write_one_row(app, live):
    engine, key = live
    headers = auth(key) | {"Idempotency-Key": "retry-storm"}
    responses = _all_at_once(
        app, lambda client: client.post("/api/v1/updates", json=DRAFT, headers=headers)
    )
    assert Counter(r.status_code for r in responses) == {201: WRITERS}
    assert len({r.json()["id"] for r in responses}) == 1
    assert _count(engine, ImplementationUpdate) == 1
    assert _count(engine, IdempotencyRecord) == 1


def test_racing_writers_with_one_etag_one_wins(app, live):
    _, key = live
    with TestClient(app) as client:
        created = client.post("/api/v1/updates", json=DRAFT, headers=auth(key))
    url, etag = created.json()["url"], created.headers["etag"]

    def edit(client: TestClient) -> Any:
        summary = f"writer {threading.get_ident()}"
        return client.patch(url, json={"summary": summary}, headers=auth(key) | {"If-Match": etag})

    responses = _all_at_once(app, edit)
    assert Counter(r.status_code for r in responses) == {200: 1, 412: WRITERS - 1}


def test_more_clients_than_connections_are_all_answered(live_engine, tmp_path):
    """A request holds its connection across its thread hops (key lookup, then route): with
    every thread taken by requests waiting for a connection, it once could not finish, and all
    waited for the pool timeout (503). Admission keeps requests inside to what the pool serves."""
    with Session(live_engine, expire_on_commit=False) as session:
        spec = KeySpec(Role.GOVERNMENT, "gov", government="UK Home Office")
        key = issue_key(session, spec, "test").plaintext
    url = live_engine.url.render_as_string(hide_password=False)
    small = {"VPR_DB_POOL_SIZE": "1", "VPR_DB_MAX_OVERFLOW": "0", "VPR_DB_POOL_TIMEOUT_S": "20"}
    instance = Instance("small-pool", url, tmp_path, small | {"VPR_RATE_LIMIT": "false"})
    instance.start()
    start = threading.Barrier(WRITERS)

    def one(path: str) -> int:
        with httpx2.Client(base_url=instance.url, headers=auth(key), timeout=60) as client:
            start.wait()
            return client.get(path).status_code

    paths = ["/api/v1/stats/adoption", "/api/v1/companies/meta", "/api/v1/updates"] * 3
    try:
        with ThreadPoolExecutor(WRITERS) as pool:
            statuses = list(pool.map(one, paths[:WRITERS]))
    finally:
        instance.stop()
    assert statuses == [200] * WRITERS


def test_racing_endorsement_events_without_if_match_get_the_rule_s_409(app, live):
    """Issue 29: a request that sent no precondition never gets 412. Eight administrators record
    a withdrawal at once: one is recorded, the rest are refused by the sequence rule (a company
    cannot withdraw twice), on PostgreSQL as on SQLite."""
    engine, _ = live
    with Session(engine, expire_on_commit=False) as session:
        admin = issue_key(session, KeySpec(Role.ADMIN, "admin"), "test").plaintext
    event = {"kind": "withdrawn", "occurred_on": "2025-01", "source_url": "https://example.org/w"}

    def withdraw(client: TestClient) -> Any:
        return client.post(
            "/api/v1/companies/google/endorsement-events", json=event, headers=auth(admin)
        )

    responses = _all_at_once(app, withdraw)
    assert Counter(r.status_code for r in responses) == {201: 1, 409: WRITERS - 1}
    refusals = {r.json()["detail"] for r in responses if r.status_code == 409}
    assert len(refusals) == 1
    assert "withdr" in refusals.pop()  # the rule's own words, not a generic conflict


def test_racing_amendments_get_the_same_specific_409(app, live):
    """A losing concurrent amendment gets the rule's 409 on both engines (PostgreSQL answered
    the unique index's generic conflict)."""
    _, key = live
    with TestClient(app) as client:
        created = client.post("/api/v1/updates", json=SUBMITTABLE, headers=auth(key))
        url = created.json()["url"]
        done = client.post(
            f"{url}/submit", headers=auth(key) | {"If-Match": created.headers["etag"]}
        )
        assert done.status_code == 200, done.text

    responses = _all_at_once(app, lambda client: client.post(f"{url}/amend", headers=auth(key)))
    assert Counter(r.status_code for r in responses) == {201: 1, 409: WRITERS - 1}
    amendment = next(r.json()["id"] for r in responses if r.status_code == 201)
    assert {r.json()["detail"] for r in responses if r.status_code == 409} == {
        f"This update has a draft amendment, update {amendment}: edit that draft."
    }
