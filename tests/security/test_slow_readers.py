"""Finding 1 of issue 13: clients that open export downloads and never read them must not take
the registry down. Each holds no pooled connection and no admission slot while it stalls, and
is dropped after VPR_SEND_TIMEOUT_S; meanwhile keyed reads and writes are answered."""

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx2
import pytest
from sqlalchemy import create_engine, text
from sqlmodel import Session

from app.keys.models import Role
from app.keys.service import KeySpec, issue_key
from tests.conftest import auth, live_database
from tests.servers import Instance

CAPACITY = 2  # pooled connections, and requests admitted at once
STALLED = 3 * CAPACITY
SEND_TIMEOUT_S = 10  # longer than the keyed reads take, so only the fix lets them through
EXPORT = "/api/v1/exports/updates.ndjson"


@pytest.fixture(scope="module")
def stalled_registry(
    engine_name: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Instance, str, str]]:
    directory = tmp_path_factory.mktemp(f"slow-{engine_name}")
    with live_database(engine_name, directory) as engine:
        url = engine.url.render_as_string(hide_password=False)
        # ~10 MB of NDJSON: more than the socket buffers of a client that reads nothing.
        subprocess.run(
            [sys.executable, "-m", "bench.generate", "--companies", "5000",
             "--entries-per-company", "10"],
            env=os.environ | {"VPR_DATABASE_URL": url}, check=True, capture_output=True,
            timeout=300,
        )  # fmt: skip
        with Session(engine) as session:
            key = issue_key(session, KeySpec(Role.GOVERNMENT, "gov", government="UK"), "t")
            session.commit()
        instance = Instance("slow", url, directory, {
            "VPR_DB_POOL_SIZE": str(CAPACITY), "VPR_DB_MAX_OVERFLOW": "0",
            "VPR_DB_POOL_TIMEOUT_S": "3", "VPR_SEND_TIMEOUT_S": str(SEND_TIMEOUT_S),
            "VPR_METRICS_PUBLIC": "true",
        })  # fmt: skip
        instance.start()
        try:
            yield instance, key.plaintext, url
        finally:
            instance.stop()


def _stalled_download(instance: Instance) -> socket.socket:
    """A client that asks for the export, reads its first byte (the answer has started), and
    then nothing more."""
    client = socket.socket()
    client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    client.connect(("127.0.0.1", instance.port))
    request = f"GET {EXPORT} HTTP/1.1\r\nHost: registry\r\nAccept-Encoding: identity\r\n\r\n"
    client.sendall(request.encode())
    client.settimeout(60)
    assert client.recv(1) == b"H"  # "HTTP/1.1 200 OK" has begun
    return client


def _finished_exports(instance: Instance) -> float:
    metrics = httpx2.get(f"{instance.url}/metrics").text
    route = r'route="/api/v1/exports/\{document\}\.ndjson"'
    pattern = r'vpr_http_request_duration_seconds_count\{method="GET",' + route + r"\} (\S+)"
    found = re.search(pattern, metrics)
    return float(found[1]) if found else 0.0


def test_stalled_downloads_hold_nothing_and_are_dropped(stalled_registry, engine_name):
    instance, key, url = stalled_registry
    # Made once, read in full: the file exists and is larger than any socket buffer.
    whole = httpx2.get(
        f"{instance.url}{EXPORT}", headers={"Accept-Encoding": "identity"}, timeout=120
    )
    assert len(whole.content) > 8_000_000
    finished_before = _finished_exports(instance)
    stalled = [_stalled_download(instance) for _ in range(STALLED)]
    try:
        # Three times as many stalled readers as connections: the registry still answers.
        for _ in range(2 * CAPACITY):
            keyed = httpx2.get(
                f"{instance.url}/api/v1/updates?limit=5", headers=auth(key), timeout=10
            )
            assert keyed.status_code == 200, keyed.text
        if engine_name == "postgresql":
            observer = create_engine(url)
            try:
                with Session(observer) as session:
                    waiting = session.execute(text(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = "
                        "current_database() AND state = 'idle in transaction'"
                    )).scalar_one()  # fmt: skip
            finally:
                observer.dispose()  # its pooled connection, left open, warned when collected
            assert waiting == 0
        # Each is dropped once it has read nothing for the send timeout.
        deadline = time.monotonic() + SEND_TIMEOUT_S + 60
        while _finished_exports(instance) < finished_before + STALLED:
            assert time.monotonic() < deadline, "stalled downloads were never dropped"
            time.sleep(0.2)
        dropped = httpx2.get(f"{instance.url}/metrics").text
        count = re.search(r"^vpr_slow_readers_dropped_total (\S+)", dropped, re.MULTILINE)
        assert count is not None
        assert float(count[1]) >= STALLED
    finally:
        for client in stalled:
            client.close()
