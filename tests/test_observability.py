"""Request ids, JSON log lines and Prometheus metrics."""

import json
import logging

import pytest

from app.core.config import get_settings
from app.core.logs import JsonFormatter, configure_logging
from tests.conftest import answer_when_engine_raises, auth


def test_a_request_id_is_made_when_none_is_given(client):
    first = client.get("/healthz").headers["x-request-id"]
    second = client.get("/healthz").headers["x-request-id"]
    assert len(first) == 32
    assert first != second


def test_a_plain_request_id_is_echoed(client):
    response = client.get("/api/v1/nothing", headers={"X-Request-ID": "gov-uk.poll:42"})
    assert response.status_code == 404
    assert response.headers["x-request-id"] == "gov-uk.poll:42"


@pytest.mark.parametrize("offered", ["a" * 129, "line\\nbreak", "<script>", ""])
def test_an_unsafe_request_id_is_replaced(client, offered):
    answered = client.get("/healthz", headers={"X-Request-ID": offered}).headers["x-request-id"]
    assert answered != offered
    assert len(answered) == 32


def test_access_log_is_json_with_request_id(client, caplog):
    with caplog.at_level(logging.INFO, logger="vpr.access"):
        client.get("/api/v1/companies", headers={"X-Request-ID": "trace-1"})
    [record] = [r for r in caplog.records if r.name == "vpr.access"]
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "request"
    assert line["route"] == "/api/v1/companies"
    assert line["status"] == 200
    assert line["method"] == "GET"
    assert line["duration_ms"] >= 0
    assert line["time"].endswith("Z")


def test_unhandled_errors_are_logged_with_the_request_id(app, caplog):
    response = answer_when_engine_raises(app, RuntimeError("boom"), {"X-Request-ID": "trace-2"})
    assert response.status_code == 500
    assert response.headers["x-request-id"] == "trace-2"
    [error] = [r for r in caplog.records if r.levelno == logging.ERROR]
    line = json.loads(JsonFormatter().format(error))
    assert line["request_id"] == "trace-2"
    assert "RuntimeError: boom" in line["exception"]


def test_configure_logging_writes_json_lines(capsys):
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        configure_logging("INFO")
        logging.getLogger("vpr.test").warning("hello %s", "world", extra={"company": "meta"})
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)
    line = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert line["message"] == "hello world"
    assert line["level"] == "WARNING"
    assert line["company"] == "meta"
    assert line["request_id"] is None


def test_metrics_count_requests_per_route_template(client, keys):
    client.get("/api/v1/companies/meta")
    client.get("/api/v1/companies/google")
    response = client.get("/metrics", headers=auth(keys["admin"]))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    lines = response.text.splitlines()
    detail = [line for line in lines if line.startswith("vpr_http_requests_total{")]
    assert any('route="/api/v1/companies/{slug}"' in line for line in detail)
    assert not any('"/api/v1/companies/meta"' in line for line in detail)
    assert any(line.startswith("vpr_http_request_duration_seconds_bucket") for line in lines)


def test_metrics_are_for_administrators_unless_made_public(client, keys, monkeypatch):
    """Issue 29: per-route counts (key rotations, reviews) tell the public what others do; by
    default only an admin's key reads them. VPR_METRICS_PUBLIC=true serves them to anyone (a
    scraper on an internal address)."""
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers=auth(keys["ngo"])).status_code == 403
    assert client.get("/metrics", headers=auth(keys["government"])).status_code == 403
    allowed = client.get("/metrics", headers=auth(keys["admin"]))
    assert allowed.status_code == 200
    assert "vpr_http_requests" in allowed.text
    monkeypatch.setenv("VPR_METRICS_PUBLIC", "true")
    get_settings.cache_clear()
    try:
        assert client.get("/metrics").status_code == 200
    finally:
        monkeypatch.delenv("VPR_METRICS_PUBLIC")
        get_settings.cache_clear()
    assert client.get("/metrics").status_code == 401  # for administrators again by default
