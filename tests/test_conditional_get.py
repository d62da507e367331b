"""ETag and 304 on every GET, derived from the database so that every instance agrees."""

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.keys.models import Role
from app.keys.service import KeySpec, issue_key
from app.main import create_app
from tests.conftest import auth, serve_from

GETS = [
    "/api/v1/companies?status=endorsed",
    "/api/v1/companies/meta",
    "/api/v1/principles",
    "/api/v1/themes",
    "/api/v1/endorsements",
    "/api/v1/milestones",
    "/api/v1/updates",
    "/api/v1/reporting-cycles",
    "/api/v1/changes",
]


@pytest.mark.parametrize("url", GETS)
def test_every_get_has_an_etag_and_revalidates_to_304(client, url):
    first = client.get(url)
    assert first.status_code == 200
    assert first.headers["cache-control"] == "public, no-cache"
    again = client.get(url, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == first.headers["etag"]


def test_a_304_is_decided_before_any_other_query(client, count_statements):
    tag = client.get("/api/v1/companies").headers["etag"]
    with count_statements() as log:
        response = client.get("/api/v1/companies", headers={"If-None-Match": tag})
    assert response.status_code == 304
    assert len(log) == 1  # the data version


def test_a_write_changes_every_etag(client, keys):
    tag = client.get("/api/v1/principles").headers["etag"]
    client.post(
        "/api/v1/companies/snap/endorsement-events",
        json={
            "kind": "reaffirmed",
            "occurred_on": "2025-01-01",
            "precision": "day",
            "source_url": "https://example.org/r",
        },
        headers=auth(keys["admin"]),
    )
    response = client.get("/api/v1/principles", headers={"If-None-Match": tag})
    assert response.status_code == 200
    assert response.headers["etag"] != tag


def test_etags_differ_by_who_is_asking(client, keys):
    public = client.get("/api/v1/updates").headers["etag"]
    as_government = client.get(
        "/api/v1/updates", headers=auth(keys["government"]) | {"If-None-Match": public}
    )
    assert as_government.status_code == 200
    assert as_government.headers["cache-control"] == "private, no-cache"
    assert as_government.headers["vary"] == "Authorization"


def test_if_match_still_uses_the_resource_version(client, keys):
    tag = client.get("/api/v1/companies/meta").headers["etag"]
    assert tag.startswith('"company-')
    changed = client.patch(
        "/api/v1/companies/meta",
        json={"website": "https://about.meta.com/"},
        headers=auth(keys["admin"]) | {"If-Match": tag},
    )
    assert changed.status_code == 200, changed.text


@pytest.fixture
def two_instances(live_engine) -> Iterator[tuple[TestClient, TestClient, str]]:
    with Session(live_engine, expire_on_commit=False) as session:
        admin = issue_key(session, KeySpec(Role.ADMIN, "admin"), "test").plaintext
    first: FastAPI = serve_from(create_app(), live_engine)
    second: FastAPI = serve_from(create_app(), live_engine)
    with TestClient(first) as a, TestClient(second) as b:
        yield a, b, admin


def test_a_change_through_another_instance_shows_at_once(two_instances):
    reader, writer, admin = two_instances
    tag = reader.get("/api/v1/companies/x").headers["etag"]
    assert reader.get("/api/v1/companies/x", headers={"If-None-Match": tag}).status_code == 304
    written = writer.post(
        "/api/v1/companies/x/endorsement-events",
        json={
            "kind": "withdrawn",
            "occurred_on": "2025-01-01",
            "precision": "day",
            "source_url": "https://example.org/w",
        },
        headers=auth(admin),
    )
    assert written.status_code == 201, written.text
    fresh = reader.get("/api/v1/companies/x", headers={"If-None-Match": tag})
    assert fresh.status_code == 200
    assert fresh.json()["endorsement"]["status"] == "withdrawn"
