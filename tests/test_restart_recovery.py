"""Issue 29: after PostgreSQL restarts while the registry is idle, its first requests (keyed
reads, a write, anonymous reads answered before routing) are answered, not 503: a pooled
connection idle since before the restart is checked and replaced before it is handed out.

Marked `fault`: it restarts the PostgreSQL server the suite uses, so it runs last."""

import subprocess
import time
import uuid
from pathlib import Path

import httpx2
import pytest
from sqlmodel import Session

from app.engines.postgres_connections import CHECK_AFTER_IDLE_S
from app.keys.models import Role
from app.keys.service import KeySpec, issue_key
from tests.conftest import auth, live_database
from tests.databases import _in_ci
from tests.servers import Instance
from tests.test_fault_tolerance import _can_restart_postgres, _restart_postgres
from tests.test_updates_workflow import DRAFT

pytestmark = pytest.mark.fault


def _wait_until_postgres_accepts() -> None:
    deadline = time.monotonic() + 120
    while subprocess.run(["pg_isready", "-h", "127.0.0.1", "-q"], check=False).returncode != 0:  # noqa: S607
        assert time.monotonic() < deadline, "PostgreSQL did not come back"
        time.sleep(0.1)


def test_the_first_requests_after_a_restart_are_answered(tmp_path: Path) -> None:
    if not _can_restart_postgres():
        message = "pg_ctlcluster is needed to restart PostgreSQL"
        if _in_ci():
            pytest.fail(message)
        pytest.skip(message)
    with live_database("postgresql", tmp_path) as engine:
        with Session(engine) as session:
            government = issue_key(session, KeySpec(Role.GOVERNMENT, "g", government="UK"), "t")
            company = issue_key(session, KeySpec(Role.COMPANY, "m", company="meta"), "t")
            session.commit()
        url = engine.url.render_as_string(hide_password=False)
        instance = Instance("restart", url, tmp_path, {"VPR_RATE_LIMIT": "true"})
        instance.start()
        try:
            with httpx2.Client(base_url=instance.url, timeout=30) as client:
                for _ in range(3):  # every kind of pooled connection has been used
                    assert client.get(
                        "/api/v1/whoami", headers=auth(government.plaintext)
                    ).is_success
                    assert client.get("/api/v1/companies/meta").is_success
                idle_since = time.monotonic()
                engine.dispose()  # the test's own connections, which the restart would break
                _restart_postgres()
                _wait_until_postgres_accepts()
                # The pooled connections have been idle since before the restart.
                time.sleep(max(0.0, idle_since + CHECK_AFTER_IDLE_S - time.monotonic()))
                answers = [
                    client.get("/api/v1/whoami", headers=auth(government.plaintext)),
                    client.get("/api/v1/companies/meta"),
                    client.get(f"/api/v1/companies?q={uuid.uuid4().hex[:8]}"),
                    client.get("/api/v1/updates", headers=auth(government.plaintext)),
                    client.post("/api/v1/updates", json=DRAFT, headers=auth(company.plaintext)),
                ]
                assert [a.status_code for a in answers] == [200, 200, 200, 200, 201], [
                    a.text for a in answers if not a.is_success
                ]
        finally:
            instance.stop()
