"""API8:2023 Security Misconfiguration: CORS grants only what is meant, no debug, no stack
traces, no server banner, no TRACE, and no secrets in the configuration the service shows."""

import httpx2
import pytest

from app.main import create_app
from tests.conftest import auth
from tests.servers import Instance


def test_no_cross_origin_grants_for_keys_or_writes(client, keys):
    """Published data is open to any page (issue 13); a key or a write is not, from an origin
    the registry does not name (none by default)."""
    evil = {"Origin": "https://evil.example"}
    keyed = client.get("/api/v1/companies", headers=evil | auth(keys["government"]))
    assert "access-control-allow-origin" not in keyed.headers
    preflight = client.options(
        "/api/v1/updates",
        headers=evil
        | {
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization",
        },
    )
    assert "access-control-allow-origin" not in preflight.headers
    assert preflight.status_code == 403
    assert preflight.headers["content-type"] == "application/problem+json"


def test_debug_is_off():
    assert create_app().debug is False


@pytest.mark.parametrize("method", ["TRACE", "CONNECT"])
def test_diagnostic_methods_are_refused(client, method):
    assert client.request(method, "/api/v1/companies").status_code == 405


def test_errors_carry_no_internals(client):
    response = client.get("/api/v1/updates/99999999999999999999")
    body = response.text
    assert response.status_code in {404, 422}
    assert "Traceback" not in body
    assert "sqlalchemy" not in body.lower()


def test_the_served_process_has_no_server_banner(live_engine, tmp_path):
    url = live_engine.url.render_as_string(hide_password=False)
    instance = Instance("banner", url, tmp_path)
    instance.start()
    try:
        response = httpx2.get(f"{instance.url}/healthz")
    finally:
        instance.stop()
    assert response.status_code == 200
    assert "server" not in response.headers


def test_a_trailing_slash_is_not_redirected_to_the_hosts_say_so(client):
    """One URL per resource: no redirect whose absolute Location copies the Host header."""
    response = client.get(
        "/api/v1/companies/", headers={"Host": "evil.example"}, follow_redirects=False
    )
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert "location" not in response.headers
