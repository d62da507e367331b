"""API1:2023 Broken Object Level Authorization: a company reaches only its own drafts, whatever
id it sends; another company's draft is indistinguishable from one that does not exist."""

import pytest

from tests.conftest import auth

DRAFT = {"period_start": "2025-01-01", "period_end": "2025-12-31", "summary": "Meta's draft"}


@pytest.fixture
def metas_draft(client, keys) -> tuple[int, str]:
    response = client.post("/api/v1/updates", json=DRAFT, headers=auth(keys["company"]))
    assert response.status_code == 201
    return response.json()["id"], response.headers["etag"]


def test_another_company_cannot_read_it(client, keys, metas_draft):
    update_id, _ = metas_draft
    for role in ("other_company", "ngo", "government"):
        response = client.get(f"/api/v1/updates/{update_id}", headers=auth(keys[role]))
        assert response.status_code == 404, role
    missing = client.get("/api/v1/updates/999999", headers=auth(keys["other_company"]))
    # Nothing tells them apart but the number asked for.
    assert response.json()["detail"].replace(str(update_id), "N") == missing.json()[
        "detail"
    ].replace("999999", "N")


def test_another_company_cannot_change_submit_or_amend_it(client, keys, metas_draft, session):
    from tests.fingerprint import database_fingerprint  # noqa: PLC0415

    update_id, etag = metas_draft
    before = database_fingerprint(session)
    google = auth(keys["other_company"]) | {"If-Match": etag}
    attempts = [
        client.patch(f"/api/v1/updates/{update_id}", json={"summary": "x"}, headers=google),
        client.post(f"/api/v1/updates/{update_id}/submit", headers=google),
        client.post(f"/api/v1/updates/{update_id}/amend", json={}, headers=google),
    ]
    assert [a.status_code for a in attempts] == [404, 404, 404]
    assert database_fingerprint(session) == before


def test_lists_and_the_change_feed_show_only_what_is_yours(client, keys, metas_draft):
    update_id, _ = metas_draft
    google = auth(keys["other_company"])
    listed = client.get("/api/v1/updates?state=draft", headers=google).json()["items"]
    assert update_id not in [item["id"] for item in listed]
    feed = client.get("/api/v1/changes", headers=google).json()["items"]
    assert f"/api/v1/updates/{update_id}" not in [change["url"] for change in feed]
    mine = client.get("/api/v1/changes", headers=auth(keys["company"])).json()["items"]
    assert f"/api/v1/updates/{update_id}" in [change["url"] for change in mine]
