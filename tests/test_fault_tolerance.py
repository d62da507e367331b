"""Fault test: two instances over one PostgreSQL, company writers retrying with idempotency keys,
one instance killed with SIGKILL and PostgreSQL restarted under load. Nothing acknowledged may be
lost or doubled, and the service must come back by itself.

Runs last (see conftest.py): it restarts the PostgreSQL server that the whole suite uses.
Every step waits for an event (so many writes acknowledged, an instance ready), never for a
fixed time: on a busy machine a restart may take seconds longer, and the test just waits.
"""

import json
import os
import shutil
import subprocess
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx2
import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session

from app.keys.models import Role
from app.keys.service import KeySpec, issue_key
from tests.conftest import live_database
from tests.databases import _in_ci
from tests.servers import Instance

pytestmark = pytest.mark.fault

COMPANIES = ("meta", "google", "microsoft", "roblox", "snap", "tiktok")
WRITES_BEFORE_KILL, WRITES_PER_STEP, WRITES_AFTER_FAULTS = 20, 10, 5  # per instance, the last
STEP_TIMEOUT_S = 120.0  # how long one step may wait for its writes on a very busy machine
RETRY_FOR_S = 90.0  # how long a writer retries one write before the test fails


@dataclass
class Tally:
    """What the clients saw."""

    acknowledged: dict[str, int] = field(default_factory=dict)  # idempotency key -> update id
    statuses: Counter[str] = field(default_factory=Counter)
    unavailable_well_formed: int = 0  # 503s with problem+json and Retry-After
    acknowledged_after_faults: Counter[str] = field(default_factory=Counter)
    faults_over_at: float = float("inf")  # when the last fault was over (monotonic clock)
    lock: threading.Lock = field(default_factory=threading.Lock)
    progress: threading.Condition = field(init=False)
    stop: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self.progress = threading.Condition(self.lock)

    def saw(self, outcome: str) -> None:
        with self.lock:
            self.statuses[outcome] += 1

    def wait_for(self, what: str, done: Callable[[], bool]) -> None:
        """Block until `done` holds (checked at each acknowledgement), or fail naming `what`."""
        with self.progress:
            if not self.progress.wait_for(done, STEP_TIMEOUT_S):
                raise AssertionError(f"waited {STEP_TIMEOUT_S} s for {what}: {self.statuses}")


def _submit_until_acknowledged(
    client: httpx2.Client, instances: list[Instance], key: str, tally: Tally, give_up_at: float
) -> None:
    body = {"period_start": "2025-01-01", "period_end": "2025-12-31", "summary": f"write {key}"}
    attempt = int(key, 16) % len(instances)  # writes spread over both instances
    while time.monotonic() < give_up_at:
        instance = instances[attempt % len(instances)]  # a retry goes to the other instance
        attempt += 1
        try:
            response = client.post(
                f"{instance.url}/api/v1/updates",
                json=body,
                headers={"Idempotency-Key": key},
                timeout=10,
            )
        except httpx2.TransportError:
            tally.saw("connection error")
            time.sleep(0.2)
            continue
        tally.saw(str(response.status_code))
        if response.status_code == 201:
            with tally.lock:
                tally.acknowledged[key] = response.json()["id"]
                if time.monotonic() > tally.faults_over_at:
                    tally.acknowledged_after_faults[instance.name] += 1
                tally.progress.notify_all()
            return
        if response.status_code == 503:
            retry_after = int(response.headers.get("retry-after", "0"))
            if retry_after > 0 and response.headers["content-type"] == "application/problem+json":
                with tally.lock:
                    tally.unavailable_well_formed += 1
            time.sleep(0.5)  # shorter than Retry-After: the test wants to see recovery soon
            continue
        raise AssertionError(f"unexpected {response.status_code}: {response.text}")
    raise AssertionError(f"write {key} was never acknowledged")


def _writer(company_key: str, instances: list[Instance], tally: Tally) -> None:
    headers = {"Authorization": f"Bearer {company_key}"}
    with httpx2.Client(headers=headers) as client:
        while not tally.stop.is_set():
            key = uuid.uuid4().hex
            give_up_at = time.monotonic() + RETRY_FOR_S
            _submit_until_acknowledged(client, instances, key, tally, give_up_at)


def _restart_postgres() -> None:
    cluster = sorted(os.listdir("/etc/postgresql"))[-1]
    subprocess.run(  # noqa: S603
        ["pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", "restart"],  # noqa: S607
        check=True,
        capture_output=True,
        timeout=60,
    )


def _can_restart_postgres() -> bool:
    return shutil.which("pg_ctlcluster") is not None and os.path.isdir("/etc/postgresql")


@contextmanager
def _two_instances(engine: Engine, log_dir: Path) -> Iterator[list[Instance]]:
    url = engine.url.render_as_string(hide_password=False)
    settings = {
        "VPR_DB_POOL_TIMEOUT_S": "3",
        "VPR_RATE_LIMIT": "true",  # writes counted in PostgreSQL, which is restarted under them
        "VPR_RATE_LIMIT_WRITES_PER_MINUTE": "100000",
    }
    instances = [Instance(name, url, log_dir, settings) for name in ("a", "b")]
    try:
        for instance in instances:
            instance.start()
        yield instances
    finally:
        for instance in instances:
            instance.stop()


def _company_keys(engine: Engine) -> list[str]:
    with Session(engine) as session:
        keys = [
            issue_key(session, KeySpec(Role.COMPANY, slug, company=slug), "fault test").plaintext
            for slug in COMPANIES
        ]
        session.commit()
    return keys


def _run_load_with_faults(instances: list[Instance], keys: list[str]) -> Tally:
    tally = Tally()
    writers = [threading.Thread(target=_writer, args=(key, instances, tally)) for key in keys]
    for writer in writers:
        writer.start()

    def acknowledged(at_least: int) -> Callable[[], bool]:
        return lambda: len(tally.acknowledged) >= at_least

    try:
        tally.wait_for("writes before the kill", acknowledged(WRITES_BEFORE_KILL))
        instances[0].kill()
        with tally.lock:
            later = len(tally.acknowledged) + WRITES_PER_STEP
        tally.wait_for("writes with one instance down", acknowledged(later))
        instances[0].start()  # what a supervisor (systemd, Kubernetes) does; waits until ready
        with tally.lock:
            later = len(tally.acknowledged) + WRITES_PER_STEP
        tally.wait_for("writes after the restart", acknowledged(later))
        _restart_postgres()
        with tally.lock:
            tally.faults_over_at = time.monotonic()
        tally.wait_for(
            "both instances to acknowledge writes after the faults",
            lambda: all(
                tally.acknowledged_after_faults[i.name] >= WRITES_AFTER_FAULTS for i in instances
            ),
        )
    finally:
        tally.stop.set()  # each writer finishes (retries until acknowledged) its current write
        for writer in writers:
            writer.join(timeout=RETRY_FOR_S + 30)
    assert not any(writer.is_alive() for writer in writers)
    return tally


def _what_the_database_holds(engine: Engine) -> dict[str, object]:
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT id, summary, version FROM implementation_update")
        ).all()
        audit = connection.execute(
            text(
                "SELECT resource_id, count(*) FROM audit_record "
                "WHERE resource_type = 'update' GROUP BY resource_id"
            )
        ).all()
        clock = connection.execute(text("SELECT value FROM change_clock")).scalar_one()
        top_seq = connection.execute(text("SELECT max(seq) FROM audit_record")).scalar_one()
    return {"rows": rows, "audit": dict(audit), "clock": clock, "top_seq": top_seq}


def test_nothing_acknowledged_is_lost_or_doubled(tmp_path, capsys):
    if not _can_restart_postgres():
        message = "pg_ctlcluster is needed to restart PostgreSQL"
        if _in_ci():
            pytest.fail(message)
        pytest.skip(message)
    with live_database("postgresql", tmp_path) as engine:
        keys = _company_keys(engine)
        with _two_instances(engine, tmp_path) as instances:
            tally = _run_load_with_faults(instances, keys)
        held = _what_the_database_holds(engine)

    rows = held["rows"]
    assert isinstance(rows, list)
    by_marker = Counter(summary.removeprefix("write ") for _, summary, _ in rows)
    duplicates = sum(count - 1 for count in by_marker.values() if count > 1)
    lost = [key for key in tally.acknowledged if by_marker[key] == 0]
    id_of = {summary.removeprefix("write "): row_id for row_id, summary, _ in rows}
    ids_match = all(
        id_of[key] == update_id for key, update_id in tally.acknowledged.items() if key not in lost
    )
    audit = held["audit"]
    assert isinstance(audit, dict)
    figures = {
        "acknowledged": len(tally.acknowledged),
        "found": sum(1 for key in tally.acknowledged if by_marker[key] == 1),
        "rows": len(rows),
        "duplicates": duplicates,
        "lost": len(lost),
        "audit_rows_for_updates": sum(audit.values()),
        "responses": dict(tally.statuses),
        "well_formed_503s": tally.unavailable_well_formed,
        "acknowledged_after_faults": dict(tally.acknowledged_after_faults),
    }
    with capsys.disabled():
        print("\nfault test figures:", json.dumps(figures, sort_keys=True))

    assert len(tally.acknowledged) > 0
    assert lost == []
    assert duplicates == 0
    assert ids_match
    assert len(rows) == len(tally.acknowledged)  # every write was acknowledged in the end
    assert all(count == 1 for count in audit.values())  # one audit record per write
    assert set(audit) == {row_id for row_id, _, _ in rows}
    assert {version for _, _, version in rows} == {1}
    assert held["clock"] == held["top_seq"]  # the change clock agrees with the audit trail
    assert "500" not in tally.statuses
    assert tally.statuses["503"] == tally.unavailable_well_formed > 0
    assert set(tally.acknowledged_after_faults) == {"a", "b"}  # both recovered by themselves
