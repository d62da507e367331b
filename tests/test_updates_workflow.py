"""A company's updates: draft, edit, submit, amend; who sees what; refusals change nothing."""

from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import select

from app.updates.models import ImplementationUpdate
from tests.conftest import auth
from tests.fingerprint import database_fingerprint

DRAFT: dict[str, Any] = {
    "period_start": "2025-01-01",
    "period_end": "2025-12-31",
    "summary": "Annual update",
    "entries": [
        {
            "principle": "VP-01",
            "status": "implemented",
            "narrative": "Hash matching on all uploads.",
            "measures": [{"measure": "hash_matching"}, {"measure": "other", "detail": "Audit"}],
            "metrics": [
                {
                    "name": "reports to NCMEC",
                    "value": 1200,
                    "unit": "count",
                    "period_start": "2025-01-01",
                    "period_end": "2025-12-31",
                }
            ],
            "evidence": [{"url": "https://example.org/report", "title": "Transparency report"}],
        },
        {"principle": "VP-07", "status": "in_progress", "visibility": "restricted"},
    ],
}


def _draft(client, keys, body=None, key="company"):
    response = client.post("/api/v1/updates", json=body or DRAFT, headers=auth(keys[key]))
    assert response.status_code == 201, response.text
    return response


def _submit(client, keys, response, key="company"):
    url = response.json()["url"]
    return client.post(
        f"{url}/submit", headers=auth(keys[key]) | {"If-Match": response.headers["etag"]}
    )


def _update_count(session):
    return session.exec(select(func.count()).select_from(ImplementationUpdate)).one()


def test_draft_belongs_to_the_keys_company_and_only_it_sees_it(client, keys):
    created = _draft(client, keys)
    body = created.json()
    assert (body["company"], body["state"], body["revision"]) == ("meta", "draft", 1)
    assert created.headers["location"] == body["url"]
    assert [e["principle"] for e in body["entries"]] == ["VP-01", "VP-07"]
    assert body["entries"][0]["metrics"][0]["value"] == 1200
    for reader in ("ngo", "government", "other_company", "admin"):
        assert client.get(body["url"], headers=auth(keys[reader])).status_code == 404, reader
    assert client.get(body["url"]).status_code == 404
    assert client.get(body["url"], headers=auth(keys["company"])).status_code == 200
    listed = client.get("/api/v1/updates?state=draft", headers=auth(keys["government"])).json()
    assert listed["total"] == 0


def test_submitted_update_visibility_per_role(client, keys):
    submitted = _submit(client, keys, _draft(client, keys))
    assert submitted.status_code == 200, submitted.text
    url = submitted.json()["url"]

    def principles(key: str | None) -> list[str]:
        headers = auth(keys[key]) if key else {}
        return [e["principle"] for e in client.get(url, headers=headers).json()["entries"]]

    assert principles(None) == ["VP-01"]
    assert principles("ngo") == ["VP-01"]
    assert principles("other_company") == ["VP-01"]
    assert principles("government") == ["VP-01", "VP-07"]
    assert principles("admin") == ["VP-01", "VP-07"]
    assert principles("company") == ["VP-01", "VP-07"]


def test_filters_never_reveal_restricted_entries(client, keys):
    _submit(client, keys, _draft(client, keys))
    query = "/api/v1/updates?principle=VP-07"
    assert client.get(query).json()["total"] == 0
    assert client.get(query, headers=auth(keys["government"])).json()["total"] == 1
    assert client.get("/api/v1/updates?status=implemented").json()["total"] == 1
    assert client.get("/api/v1/updates?status=in_progress").json()["total"] == 0


def test_edit_needs_if_match_and_a_draft(client, keys):
    created = _draft(client, keys)
    url, company = created.json()["url"], auth(keys["company"])
    assert client.patch(url, json={"summary": "x"}, headers=company).status_code == 428
    edited = client.patch(
        url,
        json={"summary": "Revised", "entries": [{"principle": "vp-02", "status": "planned"}]},
        headers=company | {"If-Match": created.headers["etag"]},
    )
    assert edited.status_code == 200, edited.text
    assert [e["principle"] for e in edited.json()["entries"]] == ["VP-02"]
    stale = client.patch(
        url, json={"summary": "Lost"}, headers=company | {"If-Match": created.headers["etag"]}
    )
    assert stale.status_code == 412
    submitted = client.post(f"{url}/submit", headers=company | {"If-Match": edited.headers["etag"]})
    assert submitted.status_code == 200
    frozen = client.patch(
        url, json={"summary": "Too late"}, headers=company | {"If-Match": submitted.headers["etag"]}
    )
    assert frozen.status_code == 409


def test_amendment_supersedes_and_both_stay_readable(client, keys):
    original = _submit(client, keys, _draft(client, keys)).json()
    amended = client.post(f"{original['url']}/amend", headers=auth(keys["company"]))
    assert amended.status_code == 201, amended.text
    draft = amended.json()
    assert (draft["revision"], draft["supersedes"], draft["state"]) == (2, original["url"], "draft")
    assert [e["principle"] for e in draft["entries"]] == ["VP-01", "VP-07"]
    assert client.post(f"{original['url']}/amend", headers=auth(keys["company"])).status_code == 409

    _submit(client, keys, amended)
    old = client.get(original["url"]).json()
    assert old["superseded_by"] == draft["url"]
    current = client.get("/api/v1/updates?company=meta").json()
    assert [u["revision"] for u in current["items"]] == [2]
    everything = client.get("/api/v1/updates?company=meta&include_superseded=true").json()
    assert sorted(u["revision"] for u in everything["items"]) == [1, 2]
    assert (
        client.get("/api/v1/companies/meta").json()["implementation"][0]["update_url"]
        == (draft["url"])
    )


@pytest.mark.parametrize(
    "change",
    [
        {"company_id": 2},
        {"company": "google"},
        {"state": "submitted"},
        {"submitted_at": "2025-01-01T00:00:00Z"},
        {"id": 99},
        {"revision": 3},
        {"period_start": "2026-01-01"},
        {"entries": [{"principle": "VP-99", "status": "implemented"}]},
        {"entries": [{"principle": "VP-01", "status": "done"}]},
        {"entries": [{"principle": "VP-01", "status": "planned", "narrative": "x" * 10_001}]},
        {
            "entries": [
                {"principle": "VP-01", "status": "planned", "evidence": [{"url": "http://a.b"}]}
            ]
        },
        {
            "entries": [
                {"principle": "VP-01", "status": "planned", "measures": [{"measure": "other"}]}
            ]
        },
        {"entries": [{"principle": "VP-01", "status": "planned"}] * 2},
        {"entries": [{"principle": f"VP-{n:02d}", "status": "planned"} for n in range(51)]},
        {"framework_version": "1999"},
        {"reporting_cycle": 999},
    ],
)
def test_bad_drafts_are_refused_and_change_nothing(client, keys, session, change):
    before = database_fingerprint(session)
    response = client.post("/api/v1/updates", json=DRAFT | change, headers=auth(keys["company"]))
    assert response.status_code in {404, 422}, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert database_fingerprint(session) == before


def test_unknown_principle_error_points_at_the_entry(client, keys):
    body = DRAFT | {"entries": [DRAFT["entries"][0], {"principle": "VP-42", "status": "planned"}]}
    response = client.post("/api/v1/updates", json=body, headers=auth(keys["company"]))
    assert response.status_code == 422
    assert response.json()["errors"][0]["location"] == ["body", "entries", 1, "principle"]


def test_another_companys_update_cannot_be_touched(client, keys, session):
    draft = _draft(client, keys)
    submitted_other = _submit(
        client, keys, _draft(client, keys, key="other_company"), "other_company"
    )
    other_url = submitted_other.json()["url"]
    before = database_fingerprint(session)
    company = auth(keys["company"])
    attempts = [
        client.patch(other_url, json={"summary": "x"}, headers=company | {"If-Match": "*"}),
        client.post(f"{other_url}/submit", headers=company | {"If-Match": "*"}),
        client.post(f"{other_url}/amend", headers=company),
        client.patch(
            draft.json()["url"],
            json={"summary": "x"},
            headers=auth(keys["other_company"]) | {"If-Match": "*"},
        ),
    ]
    assert [a.status_code for a in attempts] == [404, 404, 404, 404]
    assert database_fingerprint(session) == before


def test_batch_is_all_or_nothing(client, keys, session):
    good = {"updates": [DRAFT, DRAFT | {"period_start": "2024-01-01", "period_end": "2024-12-31"}]}
    response = client.post("/api/v1/updates/batch", json=good, headers=auth(keys["company"]))
    assert response.status_code == 201, response.text
    assert [u["state"] for u in response.json()["updates"]] == ["submitted", "submitted"]

    count = _update_count(session)
    bad_entry = {"principle": "VP-77", "status": "planned"}
    bad = {"updates": [DRAFT, DRAFT | {"entries": [bad_entry]}]}
    refused = client.post("/api/v1/updates/batch", json=bad, headers=auth(keys["company"]))
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["location"] == ["updates.1", "entries", 0, "principle"]
    assert _update_count(session) == count
    too_many = {"updates": [DRAFT] * 101}
    response = client.post("/api/v1/updates/batch", json=too_many, headers=auth(keys["company"]))
    assert response.status_code == 422
    assert _update_count(session) == count


def test_idempotent_replay_and_conflicting_replay(client, keys, session):
    headers = auth(keys["company"]) | {"Idempotency-Key": "meta-2025-annual"}
    first = client.post("/api/v1/updates", json=DRAFT, headers=headers)
    count = _update_count(session)
    again = client.post("/api/v1/updates", json=DRAFT, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert _update_count(session) == count
    different = client.post("/api/v1/updates", json=DRAFT | {"summary": "other"}, headers=headers)
    assert different.status_code == 422
    assert "different request body" in different.json()["detail"]
    assert _update_count(session) == count
    # The key is scoped to the company: another company may use the same string.
    other = auth(keys["other_company"]) | {"Idempotency-Key": "meta-2025-annual"}
    assert client.post("/api/v1/updates", json=DRAFT, headers=other).status_code == 201


def test_metric_values_keep_their_number_form(client, keys):
    metric = DRAFT["entries"][0]["metrics"][0]
    fractional = metric | {"name": "share reviewed", "value": 12.5, "unit": "percent"}
    body = DRAFT | {"entries": [DRAFT["entries"][0] | {"metrics": [metric, fractional]}]}
    created = _draft(client, keys, body)
    assert '"value":1200,' in created.text  # not 1200.0
    assert '"value":12.5,' in created.text


def test_a_large_invalid_batch_gets_a_small_422(client, keys, session):
    """Thousands of invalid values are answered with the first few, said briefly, and how many
    there were: an invalid batch cannot make the server build a response many times its size."""
    bad_entry = {"principle": "VP-77", "status": "nope", "narrative": "x" * 400}
    update = DRAFT | {"entries": [bad_entry] * 11, "summary": "y" * 1000}
    body = {"updates": [update] * 100}
    count = _update_count(session)
    refused = client.post("/api/v1/updates/batch", json=body, headers=auth(keys["company"]))
    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/problem+json"
    problem = refused.json()
    assert len(problem["errors"]) == 50
    assert "errors lists the first 50" in problem["detail"]
    assert len(refused.content) < 32 * 1024
    assert _update_count(session) == count
