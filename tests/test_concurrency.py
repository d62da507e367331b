"""Concurrent retries and racing writers, on a database where every request really commits."""

import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func
from sqlmodel import Session, select

from app.keys.models import Role
from app.keys.service import KeySpec, issue_key
from app.updates.models import IdempotencyRecord, ImplementationUpdate
from tests.conftest import auth, serve_from

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
