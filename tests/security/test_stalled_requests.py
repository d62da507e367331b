"""The high finding of issue 29: clients that send a request's headers and then stall (or send
half the headers) must not take the registry down. A stalled body holds no admission slot (the
body is read before one is taken), is answered 408 once VPR_REQUEST_BODY_TIMEOUT_S passes, and
a request whose headers never complete is closed after VPR_REQUEST_HEADERS_TIMEOUT_S; both are
counted in /metrics. On both engines, through a real `vpr serve`."""

import re
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
from sqlmodel import Session

from app.keys.models import Role
from app.keys.service import KeySpec, issue_key
from tests.conftest import auth, live_database
from tests.servers import Instance
from tests.test_updates_workflow import DRAFT

CAPACITY = 2  # pooled connections, and requests admitted at once
STALLED = 4 * CAPACITY
# Long enough that the stalled bodies are still open while the checks run: before the fix each
# held a slot, and every keyed request answered 503 after the pool's 2 s timeout.
LONG_S = "120"


def _served(
    engine_name: str, directory: Path, env: dict[str, str]
) -> Iterator[tuple[Instance, dict[str, str]]]:
    with live_database(engine_name, directory) as engine:
        with Session(engine) as session:
            keys = {
                "government": issue_key(
                    session, KeySpec(Role.GOVERNMENT, "gov", government="UK"), "t"
                ).plaintext,
                "company": issue_key(
                    session, KeySpec(Role.COMPANY, "meta", company="meta"), "t"
                ).plaintext,
            }
            session.commit()
        url = engine.url.render_as_string(hide_password=False)
        instance = Instance("stalls", url, directory, {
            "VPR_DB_POOL_SIZE": str(CAPACITY), "VPR_DB_MAX_OVERFLOW": "0",
            "VPR_DB_POOL_TIMEOUT_S": "2", "VPR_RATE_LIMIT": "false",
            "VPR_METRICS_PUBLIC": "true", **env,
        })  # fmt: skip
        instance.start()
        try:
            yield instance, keys
        finally:
            instance.stop()


@pytest.fixture
def patient_registry(engine_name: str, tmp_path: Path) -> Iterator[tuple[Instance, dict[str, str]]]:
    yield from _served(engine_name, tmp_path, {
        "VPR_REQUEST_BODY_TIMEOUT_S": LONG_S, "VPR_REQUEST_HEADERS_TIMEOUT_S": LONG_S,
    })  # fmt: skip


@pytest.fixture
def strict_registry(engine_name: str, tmp_path: Path) -> Iterator[tuple[Instance, dict[str, str]]]:
    yield from _served(engine_name, tmp_path, {
        "VPR_REQUEST_BODY_TIMEOUT_S": "1", "VPR_REQUEST_HEADERS_TIMEOUT_S": "1",
    })  # fmt: skip


def _stalled_body(instance: Instance) -> socket.socket:
    """The probe's request: a write's headers with no key, Content-Length 50, and one byte."""
    client = socket.create_connection(("127.0.0.1", instance.port))
    client.sendall(
        b"POST /api/v1/updates HTTP/1.1\r\nHost: registry\r\n"
        b"Content-Type: application/json\r\nContent-Length: 50\r\n\r\n{"
    )
    return client


def _stalled(instance: Instance, phase: str) -> float:
    metrics = httpx2.get(f"{instance.url}/metrics").text
    found = re.search(rf'^vpr_stalled_requests_total\{{phase="{phase}"\}} (\S+)', metrics, re.M)
    return float(found[1]) if found else 0.0


def _read_all(client: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (bounded: 30 s of silence)."""
    client.settimeout(30)
    received = b""
    while chunk := client.recv(65536):
        received += chunk
    return received


def test_stalled_bodies_hold_no_slot(patient_registry):
    instance, keys = patient_registry
    stalled = [_stalled_body(instance) for _ in range(STALLED)]
    try:
        with httpx2.Client(base_url=instance.url, timeout=30) as client:
            for _ in range(2 * CAPACITY):
                keyed = client.get("/api/v1/whoami", headers=auth(keys["government"]))
                assert keyed.status_code == 200, keyed.text
                uncached = client.get(f"/api/v1/companies?q={uuid.uuid4().hex[:8]}")
                assert uncached.status_code == 200, uncached.text
            written = client.post("/api/v1/updates", json=DRAFT, headers=auth(keys["company"]))
            assert written.status_code == 201, written.text
    finally:
        for stalled_client in stalled:
            stalled_client.close()


def test_a_stalled_body_is_a_408_and_counted(strict_registry):
    instance, _ = strict_registry
    before = _stalled(instance, "body")
    client = _stalled_body(instance)
    try:
        answer = _read_all(client).decode()
    finally:
        client.close()
    head, _, body = answer.partition("\r\n\r\n")
    assert head.startswith("HTTP/1.1 408"), answer
    assert "content-type: application/problem+json" in head.lower()
    assert "connection: close" in head.lower()
    assert '"status":408' in body
    assert _stalled(instance, "body") == before + 1


@pytest.mark.parametrize("sent", [b"", b"GET /api/v1/companies HTTP/1.1\r\nHost: regis"])
def test_headers_that_never_complete_are_closed_and_counted(strict_registry, sent):
    instance, _ = strict_registry
    before = _stalled(instance, "headers")
    client = socket.create_connection(("127.0.0.1", instance.port))
    try:
        client.sendall(sent)
        assert _read_all(client) == b""  # closed by the server, with nothing to say
    finally:
        client.close()
    assert _stalled(instance, "headers") == before + 1
    assert httpx2.get(f"{instance.url}/api/v1/companies").status_code == 200
