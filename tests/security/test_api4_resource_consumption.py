"""API4:2023 Unrestricted Resource Consumption: bodies, pages, batches, lists and request rates
all have documented caps, answered with 413, 422 or 429 before any work is done."""

import pytest
from fastapi.testclient import TestClient

from app.core.config import get_settings
from app.core.pagination import MAX_PAGE_SIZE
from app.main import create_app
from app.ratelimit.limiter import Policy, RateLimiter
from app.ratelimit.stores import MemoryCounter
from app.updates.schemas import BATCH_MAX
from tests.conftest import auth

DRAFT = {"period_start": "2025-01-01", "period_end": "2025-12-31", "summary": "s"}


def test_bodies_over_the_cap_are_413(client, keys):
    cap = get_settings().max_body_bytes
    response = client.post(
        "/api/v1/updates",
        json=DRAFT | {"summary": "x" * (cap + 1)},
        headers=auth(keys["company"]),
    )
    assert response.status_code == 413
    assert str(cap) in response.json()["detail"]


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/companies?limit={MAX_PAGE_SIZE + 1}",
        f"/api/v1/updates?limit={MAX_PAGE_SIZE + 1}",
        "/api/v1/changes?limit=1001",
        "/api/v1/search?q=" + "x" * 201,
        "/api/v1/companies?offset=-1",
    ],
)
def test_pages_and_queries_are_capped(client, path):
    assert client.get(path).status_code == 422


def test_batches_are_capped(client, keys):
    body = {"updates": [DRAFT] * (BATCH_MAX + 1)}
    response = client.post("/api/v1/updates/batch", json=body, headers=auth(keys["company"]))
    assert response.status_code == 422


def test_nested_lists_are_capped(client, keys):
    entry = {"principle": "VP-01", "status": "planned", "evidence": [{"url": "https://e.org"}] * 21}
    body = DRAFT | {"entries": [entry]}
    response = client.post("/api/v1/updates", json=body, headers=auth(keys["company"]))
    assert response.status_code == 422


def test_request_rates_are_limited(session, engine):
    from app.core.db import get_engine, get_session  # noqa: PLC0415
    from app.core.rows import SessionRows  # noqa: PLC0415

    limiter = RateLimiter(Policy("reads", 2), Policy("writes", 1), MemoryCounter(), MemoryCounter())
    app = create_app(rate_limiter=limiter)
    app.dependency_overrides[get_session] = lambda: session
    app.state.rows = SessionRows(session)
    app.dependency_overrides[get_engine] = lambda: engine
    with TestClient(app) as client:
        statuses = [client.get("/api/v1/companies").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_the_default_write_limit_is_stricter_than_the_read_limit():
    settings = get_settings()
    assert settings.rate_limit_writes_per_minute < settings.rate_limit_reads_per_minute
