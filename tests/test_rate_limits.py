"""Rate limits: per key or client address, IETF RateLimit headers, 429 with Retry-After,
and write limits that hold across instances (PostgreSQL or Redis counters)."""

import re
import uuid
from collections.abc import Iterator
from contextlib import nullcontext

import pytest
import redis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from app.engines.postgres_connections import PostgresCounter
from app.main import create_app
from app.ratelimit.limiter import Policy, RateLimiter
from app.ratelimit.stores import CounterStore, MemoryCounter, RedisCounter
from tests.conftest import auth, live_database, serve_from
from tests.databases import reachable_redis_url
from tests.fingerprint import database_fingerprint

PROBLEM = "application/problem+json"
UPDATE = {"period_start": "2025-01-01", "period_end": "2025-12-31", "summary": "Progress."}


def limited_app(reads: int = 3, writes: int = 2, write_store: CounterStore | None = None):
    limiter = RateLimiter(
        Policy("reads", reads),
        Policy("writes", writes),
        MemoryCounter(),
        write_store or MemoryCounter(),
    )
    return create_app(rate_limiter=limiter)


@pytest.fixture
def limited(session, engine) -> Iterator[TestClient]:
    from app.core.db import get_engine, get_session  # noqa: PLC0415
    from app.core.rows import SessionRows  # noqa: PLC0415

    app = limited_app()
    app.dependency_overrides[get_session] = lambda: session
    app.state.rows = SessionRows(session)
    app.dependency_overrides[get_engine] = lambda: engine
    with TestClient(app) as client:
        yield client


def remaining(response) -> int:
    match = re.fullmatch(r'"(\w+)";r=(\d+);t=(\d+)', response.headers["ratelimit"])
    assert match, response.headers["ratelimit"]
    assert 1 <= int(match[3]) <= 60
    return int(match[2])


def test_reads_count_down_then_429_with_retry_after(limited):
    answers = [limited.get("/api/v1/companies") for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [remaining(a) for a in answers] == [2, 1, 0, 0]
    assert all(a.headers["ratelimit-policy"] == '"reads";q=3;w=60' for a in answers)
    refused = answers[-1]
    assert refused.headers["content-type"] == PROBLEM
    assert refused.json()["status"] == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 60


def test_health_and_metrics_are_not_limited(limited):
    for _ in range(5):
        assert limited.get("/healthz").status_code == 200
    assert "ratelimit" not in limited.get("/metrics").headers


def test_keys_and_addresses_have_their_own_quotas(limited, keys):
    for _ in range(3):
        limited.get("/api/v1/companies")
    assert limited.get("/api/v1/companies").status_code == 429
    assert limited.get("/api/v1/companies", headers=auth(keys["ngo"])).status_code == 200
    assert limited.get("/api/v1/companies", headers=auth(keys["government"])).status_code == 200
    assert remaining(limited.get("/api/v1/companies", headers=auth(keys["ngo"]))) == 1


def test_a_forged_key_does_not_use_up_the_real_keys_quota(limited, keys):
    real = keys["ngo"]
    forged = real[:-10] + ("0" * 10 if not real.endswith("0" * 10) else "1" * 10)
    for _ in range(5):
        assert limited.get("/api/v1/companies", headers=auth(forged)).status_code in {401, 429}
    assert limited.get("/api/v1/companies", headers=auth(real)).status_code == 200


def test_writes_have_their_own_quota_and_a_refused_write_changes_nothing(limited, keys, session):
    company = auth(keys["company"])
    assert limited.get("/api/v1/companies", headers=company).status_code == 200
    for _ in range(2):
        assert limited.post("/api/v1/updates", json=UPDATE, headers=company).status_code == 201
    before = database_fingerprint(session)
    refused = limited.post("/api/v1/updates", json=UPDATE, headers=company)
    assert refused.status_code == 429
    assert refused.headers["ratelimit-policy"] == '"writes";q=2;w=60'
    assert refused.headers["content-type"] == PROBLEM
    assert database_fingerprint(session) == before
    assert limited.get("/api/v1/companies", headers=company).status_code == 200


def _two_instances(engine: Engine, make_store) -> list[TestClient]:
    apps: list[FastAPI] = [serve_from(limited_app(write_store=make_store()), engine) for _ in "ab"]
    return [TestClient(app) for app in apps]


def _writes_across_instances(engine: Engine, key: str, make_store) -> list[int]:
    first, second = _two_instances(engine, make_store)
    with first, second:
        return [
            client.post("/api/v1/updates", json=UPDATE, headers=auth(key)).status_code
            for client in (first, second, first, second)
        ]


def _company_key(engine: Engine) -> str:
    from sqlmodel import Session  # noqa: PLC0415

    from app.keys.models import Role  # noqa: PLC0415
    from app.keys.service import KeySpec, issue_key  # noqa: PLC0415

    with Session(engine) as session:
        issued = issue_key(session, KeySpec(Role.COMPANY, "meta", company="meta"), "test")
        session.commit()
    return issued.plaintext


# The tests below pick their engine themselves: the counter's store is what they are about.


def test_write_limits_hold_across_instances_on_postgresql(tmp_path):
    with live_database("postgresql", tmp_path) as engine:
        key = _company_key(engine)
        url = engine.url.render_as_string(hide_password=False)
        statuses = _writes_across_instances(engine, key, lambda: PostgresCounter(url))
        with engine.connect() as connection:
            counted = connection.execute(text("SELECT sum(hits) FROM rate_limit_hit")).scalar()
    assert statuses == [201, 201, 429, 429]
    assert counted == 4


@pytest.fixture
def sqlite_live_engine(tmp_path) -> Iterator[Engine]:
    with live_database("sqlite", tmp_path) as engine:
        yield engine


def test_write_limits_hold_across_instances_with_redis(sqlite_live_engine):
    live_engine = sqlite_live_engine
    url = reachable_redis_url()
    namespace = f"vpr-test-{uuid.uuid4().hex}"
    key = _company_key(live_engine)
    try:
        statuses = _writes_across_instances(
            live_engine, key, lambda: RedisCounter(url, namespace=namespace)
        )
    finally:
        client = redis.Redis.from_url(url)
        for stale in client.scan_iter(f"{namespace}:*"):
            client.delete(stale)
        client.close()
    assert statuses == [201, 201, 429, 429]


def test_an_unreachable_counter_lets_requests_through(sqlite_live_engine):
    live_engine = sqlite_live_engine
    key = _company_key(live_engine)
    down = "postgresql+psycopg://postgres@127.0.0.1:1/none"
    with TestClient(serve_from(limited_app(write_store=PostgresCounter(down)), live_engine)) as c:
        response = c.post("/api/v1/updates", json=UPDATE, headers=auth(key))
    assert response.status_code == 201
    assert response.headers["ratelimit-policy"] == '"writes";q=2;w=60'
    assert "ratelimit" not in response.headers


@pytest.mark.parametrize("scheme", ["bearer", "BEARER", "bEarer"])
def test_the_scheme_s_case_is_not_a_fresh_quota(limited, keys, scheme):
    """Authentication accepts `Bearer` in any case (RFC 9110), so the limiter counts the key
    the same way: changing the case does not buy more writes."""
    key = keys["company"]
    for _ in range(2):
        created = limited.post("/api/v1/updates", json=UPDATE, headers=auth(key))
        assert created.status_code == 201
    other_case = {"Authorization": f"{scheme} {key}"}
    assert limited.post("/api/v1/updates", json=UPDATE, headers=other_case).status_code == 429


def _failing_auth_app(session, engine) -> FastAPI:
    """An app whose address is refused after three failed authentications."""
    from app.core.db import get_engine, get_session  # noqa: PLC0415
    from app.core.rows import SessionRows  # noqa: PLC0415

    limiter = RateLimiter(
        Policy("reads", 100), Policy("writes", 100), MemoryCounter(), MemoryCounter(),
        Policy("failed-authentications", 3),
    )  # fmt: skip
    app = create_app(rate_limiter=limiter)
    app.dependency_overrides[get_session] = lambda: session
    app.state.rows = SessionRows(session)
    app.dependency_overrides[get_engine] = lambda: engine
    return app


def test_failed_authentication_is_limited_per_address(session, engine, keys):
    """Each junk key costs a lookup and an HMAC: past the quota of 401s, the address's keyed
    requests get 429 before any lookup, for the rest of the window; anonymous reads go on."""
    with TestClient(_failing_auth_app(session, engine)) as client:
        junk = [client.get("/api/v1/companies", headers=auth(f"junk-{n}")) for n in range(3)]
        assert [r.status_code for r in junk] == [401, 401, 401]
        refused = client.get("/api/v1/companies", headers=auth("vpr_abcdefgh_guess_00000000"))
        assert refused.status_code == 429
        assert refused.headers["content-type"] == PROBLEM
        assert refused.headers["ratelimit-policy"] == '"failed-authentications";q=3;w=60'
        assert "retry-after" in refused.headers
        assert client.get("/api/v1/companies", headers=auth(keys["ngo"])).status_code == 429
        assert client.get("/api/v1/companies").status_code == 200


def test_requests_without_a_key_never_lock_out_the_address(session, engine, keys):
    """Issue 29: a dashboard polling without its key (401s with no key presented) must not
    lock out the valid keys of everyone behind the same address; only presented keys count."""
    with TestClient(_failing_auth_app(session, engine)) as client:
        keyless = [client.post("/api/v1/updates", json=UPDATE) for _ in range(25)]
        assert {r.status_code for r in keyless} == {401}
        for role in ("government", "company", "admin"):
            assert client.get("/api/v1/whoami", headers=auth(keys[role])).status_code == 200


def test_exports_have_their_own_lower_quota(session, engine, tmp_path):
    """A whole-registry download is large: exports count apart from other reads, lower."""
    from app.core.db import get_engine, get_session, get_snapshots  # noqa: PLC0415
    from app.core.rows import SessionRows  # noqa: PLC0415
    from app.exports.service import get_export_store  # noqa: PLC0415
    from app.exports.store import ExportStore  # noqa: PLC0415

    limiter = RateLimiter(
        Policy("reads", 100), Policy("writes", 100), MemoryCounter(), MemoryCounter(),
        exports=Policy("exports", 2),
    )  # fmt: skip
    app = create_app(rate_limiter=limiter)
    app.dependency_overrides[get_session] = lambda: session
    app.state.rows = SessionRows(session)
    app.dependency_overrides[get_engine] = lambda: engine
    app.dependency_overrides[get_snapshots] = lambda: lambda: nullcontext(session)
    app.dependency_overrides[get_export_store] = lambda: ExportStore(tmp_path / "exports")
    with TestClient(app) as client:
        downloads = [client.get("/api/v1/exports/companies.csv") for _ in range(3)]
        assert [d.status_code for d in downloads] == [200, 200, 429]
        assert downloads[-1].headers["ratelimit-policy"] == '"exports";q=2;w=60'
        assert downloads[-1].headers["content-type"] == PROBLEM
        assert client.get("/api/v1/companies").status_code == 200  # other reads go on
