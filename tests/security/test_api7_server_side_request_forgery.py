"""API7:2023 Server Side Request Forgery: the registry stores the URLs it is given (sources,
evidence, websites) and never fetches them, so a URL cannot make it call anything. URLs must be
https; nothing in app/ imports an HTTP client, except the log's standalone verifier, which a
government runs against a registry (`vpr verify`) and which the service never calls."""

import ast
from pathlib import Path

import pytest

from tests.conftest import auth

HTTP_CLIENTS = {
    "httpx",
    "httpx2",
    "requests",
    "urllib.request",
    "aiohttp",
    "urllib3",
    "http.client",
}
APP = Path(__file__).resolve().parents[2] / "app"
# Fetches a registry's checkpoint and proofs for whoever verifies it; the service imports it
# only for its hash functions (checked below: only the CLI runs it).
VERIFIER = "log/verifier.py"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_service_has_no_http_client_to_misuse():
    offenders = {
        str(path.relative_to(APP)): sorted(_imports(path) & HTTP_CLIENTS)
        for path in APP.rglob("*.py")
        if _imports(path) & HTTP_CLIENTS
    }
    assert set(offenders) <= {VERIFIER}
    runners = {
        str(path.relative_to(APP))
        for path in APP.rglob("*.py")
        if str(path.relative_to(APP)) != VERIFIER
        and ("Registry(" in path.read_text() or "verifier import main" in path.read_text())
    }
    assert runners == {"cli.py"}


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
        "gopher://127.0.0.1:6379/_FLUSHALL",
        "ftp://example.org/x",
        "javascript:alert(1)",
    ],
)
def test_only_https_urls_are_stored(client, keys, url):
    entry = {"principle": "VP-01", "status": "planned", "evidence": [{"url": url}]}
    body = {"period_start": "2025-01-01", "period_end": "2025-12-31", "entries": [entry]}
    response = client.post("/api/v1/updates", json=body, headers=auth(keys["company"]))
    assert response.status_code == 422


def test_an_internal_https_url_is_stored_as_text_and_not_called(client, keys, monkeypatch):
    import socket  # noqa: PLC0415

    calls: list[object] = []

    def recording_lookup(*args: object, **_kwargs: object) -> list[object]:
        calls.append(args)
        return []

    monkeypatch.setattr(socket, "getaddrinfo", recording_lookup)
    entry = {"principle": "VP-01", "status": "planned", "evidence": [{"url": "https://10.0.0.1/"}]}
    body = {"period_start": "2025-01-01", "period_end": "2025-12-31", "entries": [entry]}
    response = client.post("/api/v1/updates", json=body, headers=auth(keys["company"]))
    assert response.status_code == 201
    assert calls == []  # not even a name lookup
