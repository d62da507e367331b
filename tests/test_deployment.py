"""Running behind a reverse proxy with several workers: `vpr serve --workers N` (VPR_WORKERS)
and VPR_TRUSTED_PROXIES, so per-address limits count the client, never the proxy, and a client
cannot choose its address by sending X-Forwarded-For itself."""

from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest

from tests.conftest import live_database
from tests.servers import Instance

FAILED_AUTH_LIMIT = 3
JUNK_KEY = {"Authorization": "Bearer vpr_nope_nope_0000"}


@pytest.fixture
def database_url(engine_name: str, tmp_path: Path) -> Iterator[str]:
    with live_database(engine_name, tmp_path) as engine:
        yield engine.url.render_as_string(hide_password=False)


def _serve(url: str, directory: Path, **env: str) -> Instance:
    limits = {
        "VPR_RATE_LIMIT": "true",
        "VPR_RATE_LIMIT_FAILED_AUTH_PER_MINUTE": str(FAILED_AUTH_LIMIT),
    }
    instance = Instance("deployed", url, directory, limits | env)
    instance.start()
    return instance


def _refused_after_limit(instance: Instance, forwarded_for: str) -> int:
    """The status of the request after the failed-authentication quota was spent."""
    headers = JUNK_KEY | {"X-Forwarded-For": forwarded_for}
    for _ in range(FAILED_AUTH_LIMIT):
        assert httpx2.get(f"{instance.url}/api/v1/whoami", headers=headers).status_code == 401
    return httpx2.get(f"{instance.url}/api/v1/whoami", headers=headers).status_code


def test_a_trusted_proxy_names_the_client(database_url, tmp_path):
    instance = _serve(database_url, tmp_path, VPR_TRUSTED_PROXIES="127.0.0.1")
    try:
        assert _refused_after_limit(instance, "203.0.113.9") == 429
        # Another client behind the same proxy has its own count.
        other = JUNK_KEY | {"X-Forwarded-For": "203.0.113.10"}
        assert httpx2.get(f"{instance.url}/api/v1/whoami", headers=other).status_code == 401
    finally:
        instance.stop()


def test_forwarded_headers_from_anyone_else_are_ignored(database_url, tmp_path):
    instance = _serve(database_url, tmp_path)  # no proxy trusted: the peer is the client
    try:
        assert _refused_after_limit(instance, "203.0.113.9") == 429
        # A new X-Forwarded-For does not buy a new quota.
        other = JUNK_KEY | {"X-Forwarded-For": "203.0.113.10"}
        assert httpx2.get(f"{instance.url}/api/v1/whoami", headers=other).status_code == 429
    finally:
        instance.stop()


def test_several_workers_serve_one_port(database_url, tmp_path):
    instance = _serve(database_url, tmp_path, VPR_WORKERS="2")
    try:
        assert instance.process is not None
        children = Path(f"/proc/{instance.process.pid}/task/{instance.process.pid}/children")
        workers = children.read_text().split()
        # Uvicorn's supervisor, its two workers (and, in 3.11, a resource tracker at most).
        assert len(workers) >= 2, workers
        answers = [httpx2.get(f"{instance.url}/api/v1/principles") for _ in range(10)]
        assert {answer.status_code for answer in answers} == {200}
        assert len({answer.headers["etag"] for answer in answers}) == 1  # one data version
    finally:
        instance.stop()
