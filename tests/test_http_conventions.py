"""What HTTP clients expect of any API (issue 13): HEAD on every GET, gzip stored by the cache,
CORS open for published data and closed for keys, and metrics named by route template."""

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlmodel import Session

from app.changes.clock import clock_for
from app.core.config import get_settings
from app.core.db import get_session
from app.keys.models import Role
from app.keys.service import KeySpec, issue_key
from app.main import create_app
from tests.conftest import auth, serve_from

GOV_ORIGIN = "https://gov.example"


@pytest.fixture
def configured(monkeypatch, live_engine) -> Iterator[TestClient]:
    """An instance with its response cache, naming one origin for keyed requests."""
    monkeypatch.setenv("VPR_CORS_ORIGINS", f'["{GOV_ORIGIN}"]')
    monkeypatch.setenv("VPR_METRICS_PUBLIC", "true")  # scraped from inside the network
    get_settings.cache_clear()
    try:
        url = live_engine.url.render_as_string(hide_password=False)
        app: FastAPI = serve_from(create_app(clock=clock_for(url)), live_engine)
        with TestClient(app) as client:  # runs the lifespan through every middleware
            yield client
    finally:
        get_settings.cache_clear()


@pytest.mark.parametrize(
    "path",
    ["/api/v1", "/api/v1/companies?limit=3", "/api/v1/companies/meta", "/api/v1/principles",
     "/api/v1/exports/companies.csv", "/api/v1/stats/coverage", "/healthz"],
)  # fmt: skip
def test_head_answers_what_get_would_without_the_body(client, path):
    got, head = client.get(path), client.head(path)
    assert head.status_code == got.status_code == 200
    assert head.content == b""
    for name in ("content-type", "etag", "content-length"):
        assert head.headers.get(name) == got.headers.get(name), name


def test_head_of_an_unknown_resource_is_its_404(client):
    assert client.head("/api/v1/companies/no-such-company").status_code == 404


def test_large_answers_are_gzipped_for_clients_that_take_it(client):
    plain = client.get("/api/v1/companies?limit=50", headers={"Accept-Encoding": "identity"})
    coded = client.get(
        "/api/v1/companies?limit=50", headers={"Accept-Encoding": "br;q=1, gzip;q=0.5"}
    )
    assert "content-encoding" not in plain.headers
    assert coded.headers["content-encoding"] == "gzip"
    assert "Accept-Encoding" in coded.headers["vary"]
    assert int(coded.headers["content-length"]) < len(plain.content) / 2
    assert coded.content == plain.content  # the client decodes it to the same JSON
    assert coded.headers["etag"] == plain.headers["etag"]  # If-Match works with either
    refused = client.get("/api/v1/companies?limit=50", headers={"Accept-Encoding": "gzip;q=0"})
    assert "content-encoding" not in refused.headers
    small = client.get("/api/v1/principles/P1", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in small.headers  # under 1 KB: not worth a coding


def test_exports_are_sent_gzip_coded_as_stored(client):
    plain = client.get("/api/v1/exports/companies.csv", headers={"Accept-Encoding": "identity"})
    coded = client.get("/api/v1/exports/companies.csv", headers={"Accept-Encoding": "gzip"})
    assert coded.headers["content-encoding"] == "gzip"
    assert coded.content == plain.content
    assert coded.headers["x-content-sha256"] == plain.headers["x-content-sha256"]
    assert int(coded.headers["content-length"]) < len(plain.content)


def test_the_cache_stores_the_coded_bytes_once(configured, live_engine):
    url = "/api/v1/companies?limit=50"
    first = configured.get(url, headers={"Accept-Encoding": "gzip"})
    statements: list[str] = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(live_engine, "before_cursor_execute", listener)
    try:
        again = configured.get(url, headers={"Accept-Encoding": "gzip"})
    finally:
        event.remove(live_engine, "before_cursor_execute", listener)
    assert [s for s in statements if "change_clock" not in s] == []  # not entered the app
    assert again.headers["content-encoding"] == first.headers["content-encoding"] == "gzip"
    assert again.content == first.content
    plain = configured.get(url, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers  # its own entry, never the coded bytes
    assert plain.content == first.content


def test_published_data_is_readable_from_any_origin(configured):
    answer = configured.get("/api/v1/companies", headers={"Origin": "https://news.example"})
    assert answer.headers["access-control-allow-origin"] == "*"
    exposed = {h.strip() for h in answer.headers["access-control-expose-headers"].split(",")}
    assert {"ETag", "RateLimit", "RateLimit-Policy", "X-Request-ID", "Link"} <= exposed
    preflight = configured.options(
        "/api/v1/companies",
        headers={
            "Origin": "https://news.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "if-none-match" in preflight.headers["access-control-allow-headers"]


def test_keys_and_writes_only_from_configured_origins(configured, live_engine):
    with Session(live_engine) as session:
        key = issue_key(session, KeySpec(Role.GOVERNMENT, "gov", government="UK"), "t").plaintext
    asked = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type, if-match",
    }
    ok = configured.options("/api/v1/updates", headers={"Origin": GOV_ORIGIN} | asked)
    assert ok.status_code == 204
    assert ok.headers["access-control-allow-origin"] == GOV_ORIGIN
    assert "Origin" in ok.headers["vary"]
    assert "authorization" in ok.headers["access-control-allow-headers"]
    other = configured.options("/api/v1/updates", headers={"Origin": "https://x.example"} | asked)
    assert other.status_code == 403
    assert "access-control-allow-origin" not in other.headers
    keyed = configured.get("/api/v1/updates", headers={"Origin": GOV_ORIGIN} | auth(key))
    assert keyed.headers["access-control-allow-origin"] == GOV_ORIGIN
    foreign = configured.get("/api/v1/updates", headers={"Origin": "https://x.example"} | auth(key))
    assert "access-control-allow-origin" not in foreign.headers


def test_metrics_name_answers_the_router_never_saw_by_their_route(configured):
    configured.get("/api/v1/companies/meta")
    configured.get("/api/v1/companies/meta")  # from the cache
    configured.get("/api/v1/companies/no-such", headers={"If-None-Match": '"x"'})
    configured.head("/api/v1/companies/google")
    lines = configured.get("/metrics").text.splitlines()
    count = [line for line in lines if line.startswith("vpr_http_requests_total{")]
    assert any('method="HEAD",route="/api/v1/companies/{slug}",status="200"' in c for c in count)
    assert not any('route="unmatched",status="200"' in c for c in count)
    cache = [line for line in lines if line.startswith("vpr_response_cache_total{")]
    assert any('result="hit"' in line for line in cache)
    assert any('result="miss"' in line for line in cache)


@pytest.mark.parametrize(
    "path",
    ["/api/v1/companies", "/api/v1/endorsements", "/api/v1/milestones",
     "/api/v1/companies/meta/history", "/api/v1/stats/coverage", "/api/v1/keys",
     "/api/v1/changes"],
)  # fmt: skip
def test_every_growing_list_pages_alike_with_link_headers(client, keys, path):
    first = client.get(f"{path}?limit=1", headers=auth(keys["admin"]))
    assert first.status_code == 200
    body = first.json()
    assert len(body["items"]) == 1
    assert body["next"]
    assert first.headers["link"].startswith(f'<{body["next"]}>; rel="next"')
    second = client.get(body["next"], headers=auth(keys["admin"]))
    assert second.json()["items"] != body["items"]
    if "prev" in second.json():  # offset and keyset pages link back; the change feed does not
        assert f'<{second.json()["prev"]}>; rel="prev"' in second.headers["link"]


def test_a_last_page_has_no_next_link(client):
    whole = client.get("/api/v1/milestones?limit=200")
    assert whole.json()["next"] is None
    assert "link" not in whole.headers


def test_a_500_carries_every_layers_headers(app, monkeypatch):
    """An unhandled error is answered inside the HTTP layer, so a browser page can read it and
    its request id, and it counted against the quota like any answer."""

    def failing() -> Iterator[Session]:
        raise RuntimeError("boom")
        yield  # pragma: no cover

    app.dependency_overrides[get_session] = failing
    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            answer = client.get(
                "/api/v1/companies",
                headers={"Origin": "https://news.example", "X-Request-ID": "r-500"},
            )
    finally:
        app.dependency_overrides.clear()
    assert answer.status_code == 500
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["x-request-id"] == "r-500"
    assert answer.headers.get_list("x-request-id") == ["r-500"]  # once, not once per layer
    assert answer.headers["access-control-allow-origin"] == "*"
    assert "r-500" in answer.json()["detail"]


def test_links_to_pages_survive_any_characters(client):
    """Schemathesis found a 500: the page link of a slug in any script could not be a header."""
    strange = client.get("/api/v1/companies/%F3%85%A7%94%C2%9F%06%C3%B6")
    assert strange.status_code in {404, 422}
    search = client.get("/api/v1/companies?q=%C3%A9l%C3%A9")
    assert search.status_code == 200
    assert search.headers["link"].startswith("</companies?q=%C3%A9l%C3%A9>")
