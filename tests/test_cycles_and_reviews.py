"""Reporting cycles (who submitted, who is late) and review threads that cannot be edited."""

import pytest

from tests.conftest import auth
from tests.fingerprint import database_fingerprint

UPDATE = {"period_start": "2025-01-01", "period_end": "2025-12-31", "entries": []}


def _open(client, keys, **fields):
    body = {"title": "2025 call for updates", "opens_on": "2025-01-01", "due_on": "2025-03-31"}
    response = client.post(
        "/api/v1/reporting-cycles", json=body | fields, headers=auth(keys["government"])
    )
    assert response.status_code == 201, response.text
    return response.json()


def _submit_for(client, keys, cycle_id, key="company"):
    created = client.post(
        "/api/v1/updates", json=UPDATE | {"reporting_cycle": cycle_id}, headers=auth(keys[key])
    )
    assert created.status_code == 201, created.text
    return client.post(
        f"{created.json()['url']}/submit",
        headers=auth(keys[key]) | {"If-Match": created.headers["etag"]},
    ).json()


def test_a_cycle_asks_every_endorser_by_default_and_shows_who_is_late(client, keys):
    cycle = _open(client, keys)
    assert cycle["government"] == "UK Home Office"
    assert len(cycle["companies"]) == 9
    assert cycle["counts"] == {"submitted": 0, "late": 9, "not_yet_due": 0}
    update = _submit_for(client, keys, cycle["id"])
    status = client.get(cycle["url"]).json()
    meta = next(c for c in status["companies"] if c["company"] == "meta")
    assert (meta["status"], meta["update_url"]) == ("submitted", update["url"])
    assert meta["submitted_late"] is True  # due in March 2025, submitted today
    assert status["counts"] == {"submitted": 1, "late": 8, "not_yet_due": 0}


def test_a_future_due_date_is_not_yet_due(client, keys):
    cycle = _open(client, keys, due_on="2999-12-31", companies=["meta", "snap"])
    assert [c["company"] for c in cycle["companies"]] == ["meta", "snap"]
    assert {c["status"] for c in cycle["companies"]} == {"not_yet_due"}


def test_a_company_not_asked_cannot_answer_the_cycle(client, keys):
    cycle = _open(client, keys, companies=["snap"])
    response = client.post(
        "/api/v1/updates",
        json=UPDATE | {"reporting_cycle": cycle["id"]},
        headers=auth(keys["company"]),
    )
    assert response.status_code == 422


@pytest.mark.parametrize(
    "fields",
    [
        {"opens_on": "2025-05-01"},
        {"companies": ["no-such-company"]},
        {"companies": ["meta", "meta"]},
        {"title": ""},
        {"government": "France"},
    ],
)
def test_bad_cycles_are_422_and_change_nothing(client, keys, session, fields):
    body = {"title": "t", "opens_on": "2025-01-01", "due_on": "2025-03-31"} | fields
    before = database_fingerprint(session)
    response = client.post("/api/v1/reporting-cycles", json=body, headers=auth(keys["government"]))
    assert response.status_code == 422, response.text
    assert database_fingerprint(session) == before


def test_review_thread_in_order(client, keys):
    update = _submit_for(client, keys, _open(client, keys)["id"])
    reviews_url = f"{update['url']}/reviews"
    gov, company = auth(keys["government"]), auth(keys["company"])
    ack = client.post(reviews_url, json={"kind": "acknowledged"}, headers=gov)
    assert ack.status_code == 201, ack.text
    asked = client.post(
        reviews_url, json={"kind": "follow_up", "question": "How many reports?"}, headers=gov
    ).json()
    follow_up = asked[-1]
    answered = client.post(
        f"{reviews_url}/{follow_up['id']}/answers", json={"answer": "1,200."}, headers=company
    )
    assert answered.status_code == 201, answered.text
    thread = client.get(reviews_url, headers=company).json()
    assert [r["kind"] for r in thread] == ["acknowledged", "follow_up"]
    assert thread[1]["answers"][0]["answer"] == "1,200."
    assert thread[1]["government"] == "UK Home Office"
    refused = client.post(
        f"{reviews_url}/{thread[0]['id']}/answers", json={"answer": "x"}, headers=company
    )
    assert refused.status_code == 409  # an acknowledgement asks nothing
    for method in ("put", "patch", "delete"):
        response = client.request(method, f"{reviews_url}/{follow_up['id']}", headers=gov)
        assert response.status_code in {404, 405}


def test_threads_are_private_to_governments_admins_and_the_company(client, keys):
    update = _submit_for(client, keys, _open(client, keys)["id"])
    reviews_url = f"{update['url']}/reviews"
    client.post(
        reviews_url,
        json={"kind": "follow_up", "question": "Why?"},
        headers=auth(keys["government"]),
    )
    assert client.get(reviews_url, headers=auth(keys["admin"])).status_code == 200
    assert client.get(reviews_url, headers=auth(keys["other_company"])).status_code == 404
    assert client.get(reviews_url, headers=auth(keys["ngo"])).status_code == 403
    assert client.get(reviews_url).status_code == 401


@pytest.mark.parametrize(
    "body", [{"kind": "follow_up"}, {"kind": "praise"}, {"kind": "acknowledged", "x": 1}]
)
def test_bad_reviews_are_422(client, keys, body):
    update = _submit_for(client, keys, _open(client, keys)["id"])
    response = client.post(f"{update['url']}/reviews", json=body, headers=auth(keys["government"]))
    assert response.status_code == 422


def test_a_draft_cannot_be_reviewed(client, keys):
    draft = client.post("/api/v1/updates", json=UPDATE, headers=auth(keys["company"])).json()
    response = client.post(
        f"{draft['url']}/reviews", json={"kind": "acknowledged"}, headers=auth(keys["government"])
    )
    assert response.status_code == 404


def test_another_company_cannot_answer(client, keys, session):
    update = _submit_for(client, keys, _open(client, keys)["id"])
    asked = client.post(
        f"{update['url']}/reviews",
        json={"kind": "follow_up", "question": "Why?"},
        headers=auth(keys["government"]),
    ).json()
    before = database_fingerprint(session)
    response = client.post(
        f"{update['url']}/reviews/{asked[-1]['id']}/answers",
        json={"answer": "Not mine"},
        headers=auth(keys["other_company"]),
    )
    assert response.status_code == 404
    assert database_fingerprint(session) == before
