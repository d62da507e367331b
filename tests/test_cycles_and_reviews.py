"""Reporting cycles (who submitted on time or late, who is overdue) and review threads that
cannot be edited."""

from datetime import date, timedelta

import pytest

from app.changes import clock
from app.core.types import utcnow
from app.cycles.models import ReportingCycle
from tests.conftest import auth
from tests.fingerprint import database_fingerprint

ENTRY = {"principle": "VP-01", "status": "implemented"}
UPDATE = {"period_start": "2025-01-01", "period_end": "2025-12-31", "entries": [ENTRY]}
CYCLE = {
    "title": "2025 call for updates",
    "opens_on": "2026-01-01",
    "due_on": f"{utcnow().year + 2}-03-31",  # never passes while a test runs
    "period_start": "2025-01-01",
    "period_end": "2025-12-31",
}


def _due_date_passes(session, cycle_id: int) -> None:
    """Time passes: the cycle's due date is now yesterday (as if the days went by)."""
    cycle = session.get(ReportingCycle, cycle_id)
    cycle.due_on = utcnow().date() - timedelta(days=1)
    session.add(cycle)
    session.flush()
    clock.advance(session)


def _open(client, keys, **fields):
    body = dict(CYCLE)
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


def _counts(on_time=0, late=0, overdue=0, not_yet_due=0):
    return {
        "submitted_on_time": on_time,
        "submitted_late": late,
        "overdue": overdue,
        "not_yet_due": not_yet_due,
    }


def test_a_cycle_asks_every_endorser_by_default_and_says_who_answered_on_time(client, keys):
    cycle = _open(client, keys)
    assert cycle["government"] == "UK Home Office"
    assert (cycle["period_start"], cycle["period_end"]) == ("2025-01-01", "2025-12-31")
    assert len(cycle["companies"]) == 11  # every company endorsing now
    assert cycle["counts"] == _counts(not_yet_due=11)
    update = _submit_for(client, keys, cycle["id"])
    status = client.get(cycle["url"]).json()
    meta = next(c for c in status["companies"] if c["company"] == "meta")
    assert (meta["status"], meta["update_url"]) == ("submitted_on_time", update["url"])
    assert status["counts"] == _counts(on_time=1, not_yet_due=10)


def test_after_the_due_date_the_rest_are_overdue_and_a_submission_is_late(client, keys, session):
    cycle = _open(client, keys, companies=["meta", "snap"])
    _due_date_passes(session, cycle["id"])
    status = client.get(cycle["url"]).json()
    assert status["counts"] == _counts(overdue=2)
    _submit_for(client, keys, cycle["id"])
    status = client.get(cycle["url"]).json()
    assert {c["company"]: c["status"] for c in status["companies"]} == {
        "meta": "submitted_late",
        "snap": "overdue",
    }
    assert status["counts"] == _counts(late=1, overdue=1)


def test_a_cycle_cannot_open_overdue(client, keys, session):
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    before = database_fingerprint(session)
    body = CYCLE | {"due_on": yesterday, "opens_on": "2025-01-01"}
    response = client.post("/api/v1/reporting-cycles", json=body, headers=auth(keys["government"]))
    assert response.status_code == 422
    assert "has passed" in response.json()["detail"]
    assert database_fingerprint(session) == before


def test_an_update_answers_a_cycle_only_if_it_covers_its_period(client, keys):
    cycle = _open(client, keys, companies=["meta"])
    half = UPDATE | {"period_start": "2025-07-01", "reporting_cycle": cycle["id"]}
    created = client.post("/api/v1/updates", json=half, headers=auth(keys["company"]))
    submitted = client.post(
        f"{created.json()['url']}/submit",
        headers=auth(keys["company"]) | {"If-Match": created.headers["etag"]},
    )
    assert submitted.status_code == 422
    assert "asks about 2025-01-01 to 2025-12-31" in submitted.json()["detail"]


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"entries": []}, "at least one entry"),
        ({"period_start": "2026-01-01", "period_end": "2030-12-31"}, "after today"),
    ],
)
def test_an_empty_or_future_update_cannot_be_submitted(client, keys, fields, says):
    created = client.post("/api/v1/updates", json=UPDATE | fields, headers=auth(keys["company"]))
    assert created.status_code == 201, created.text
    submitted = client.post(
        f"{created.json()['url']}/submit",
        headers=auth(keys["company"]) | {"If-Match": created.headers["etag"]},
    )
    assert submitted.status_code == 422
    assert says in submitted.json()["detail"]


def test_an_unknown_cycle_is_named(client, keys):
    response = client.post(
        "/api/v1/updates", json=UPDATE | {"reporting_cycle": 99}, headers=auth(keys["company"])
    )
    assert response.status_code == 422
    assert "no reporting cycle 99" in response.json()["detail"]


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
        {"opens_on": "3000-05-01"},
        {"period_start": "2026-01-01", "period_end": "2025-12-31"},
        {"period_start": None},
        {"companies": ["no-such-company"]},
        {"companies": ["meta", "meta"]},
        {"title": ""},
        {"government": "France"},
    ],
)
def test_bad_cycles_are_422_and_change_nothing(client, keys, session, fields):
    body = CYCLE | fields
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
    )
    follow_up = asked.json()  # the review created, at its own URL
    assert asked.headers["location"] == f"{reviews_url}/{follow_up['id']}"
    assert client.get(asked.headers["location"], headers=gov).json() == follow_up
    answered = client.post(
        f"{reviews_url}/{follow_up['id']}/answers", json={"answer": "1,200."}, headers=company
    )
    assert answered.status_code == 201, answered.text
    thread = client.get(reviews_url, headers=company).json()["items"]
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
        f"{update['url']}/reviews/{asked['id']}/answers",
        json={"answer": "Not mine"},
        headers=auth(keys["other_company"]),
    )
    assert response.status_code == 404
    assert database_fingerprint(session) == before
