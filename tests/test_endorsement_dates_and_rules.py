"""Endorsement dates hold up when cited: a date known to the month or year never reaches before
the principles existed, filters say whether they match certainly or possibly, and the timeline
gives both counts. Events follow rules; a mistake is retracted, never deleted."""

from datetime import date

import pytest

from tests import factories
from tests.conftest import auth

LAUNCH_DAY = ["google", "meta", "microsoft", "roblox", "snap", "x"]
SOURCE = "https://example.org/source"


def _slugs(client, query: str) -> list[str]:
    response = client.get(f"/api/v1/companies?{query}&limit=200")
    assert response.status_code == 200, response.text
    return [company["slug"] for company in response.json()["items"]]


def _record(client, keys, slug: str, **fields):
    body = {"kind": "endorsed", "occurred_on": "2024-05-14", "source_url": SOURCE} | fields
    return client.post(
        f"/api/v1/companies/{slug}/endorsement-events", json=body, headers=auth(keys["admin"])
    )


def test_a_month_or_year_never_reaches_before_the_publication(client):
    tiktok = client.get("/api/v1/companies/tiktok").json()["endorsement"]["endorsed_on"]
    assert tiktok == {
        "value": "2020-03",
        "precision": "month",
        "earliest": "2020-03-05",
        "latest": "2020-03-31",
    }
    amazon = client.get("/api/v1/companies/amazon").json()["endorsement"]["endorsed_on"]
    # A range its sources state (issue 30): the launch, and the briefing of about March 2021.
    assert (amazon["value"], amazon["earliest"], amazon["latest"]) == (
        "2020-03-05/2021-03-31",
        "2020-03-05",
        "2021-03-31",
    )
    for match in ("certain", "possible"):
        assert _slugs(client, f"endorsed_before=2020-03-04&date_match={match}") == []


def test_date_filters_match_certainly_by_default_or_possibly_when_asked(client):
    after_launch = "status=endorsed&endorsed_after=2020-03-06"
    assert _slugs(client, after_launch) == ["match-group"]
    assert _slugs(client, f"{after_launch}&date_match=certain") == ["match-group"]
    ranges = ["amazon", "one-new-zealand", "spark-new-zealand"]  # each starts at the launch
    assert sorted(_slugs(client, f"{after_launch}&date_match=possible")) == sorted(
        [*ranges, "match-group", "tiktok"]
    )
    on_launch_day = "endorsed_after=2020-03-05&endorsed_before=2020-03-05"
    assert _slugs(client, on_launch_day) == LAUNCH_DAY
    assert sorted(_slugs(client, f"{on_launch_day}&date_match=possible")) == sorted(
        [*LAUNCH_DAY, *ranges, "tiktok"]
    )


def test_an_empty_range_is_refused(client):
    response = client.get("/api/v1/companies?endorsed_after=2021-01-01&endorsed_before=2020-01-01")
    assert response.status_code == 422
    assert "2021-01-01 is after 2020-01-01" in response.json()["detail"]


def test_sorting_by_endorsement_uses_the_clipped_day_then_precision_then_name(client):
    assert _slugs(client, "sort=endorsed_on&status=endorsed") == [
        *LAUNCH_DAY,
        "tiktok",  # 2020-03-05 at the earliest, known to the month
        "amazon",  # 2020-03-05 at the earliest, a range (the least precise), then by name
        "one-new-zealand",
        "spark-new-zealand",
        "match-group",
    ]
    assert _slugs(client, "sort=-endorsed_on&status=endorsed") == list(
        reversed(_slugs(client, "sort=endorsed_on&status=endorsed"))
    )


def test_the_timeline_counts_certain_and_possible_endorsers(client, session):
    snap = session.exec(factories.select_company("snap")).one()
    factories.event(session, snap, "withdrawn", date(2021, 6, 10))
    months = {
        m["month"]: m for m in client.get("/api/v1/stats/endorsements-over-time").json()["months"]
    }
    assert min(months) == "2020-03"  # nobody endorsed before the principles existed
    assert months["2020-03"] == {
        "month": "2020-03",
        "certainly_endorsing": 7,  # the six of launch day, and TikTok by the month's end
        "possibly_endorsing": 10,  # and the three whose ranges start at the launch
    }
    assert (months["2020-07"]["certainly_endorsing"], months["2020-07"]["possibly_endorsing"]) == (
        8,
        11,
    )
    assert months["2020-12"]["certainly_endorsing"] == 8
    assert months["2021-03"]["certainly_endorsing"] == 9  # Amazon, by the briefing
    assert months["2021-06"] == {
        "month": "2021-06",
        "certainly_endorsing": 8,
        "possibly_endorsing": 10,  # Spark and One New Zealand: by May 2024
    }


@pytest.mark.parametrize(
    ("fields", "precision"),
    [
        ({"occurred_on": "2024-05"}, "month"),
        ({"occurred_on": "2024"}, "year"),
        ({"occurred_on": "2024-05-14"}, "day"),
        ({"occurred_on": "2024-05", "precision": "month"}, "month"),
    ],
)
def test_input_takes_the_form_the_api_prints(client, keys, fields, precision):
    assert _record(client, keys, "snap", kind="withdrawn", **fields).status_code == 201
    history = client.get("/api/v1/companies/snap").json()["endorsement_history"]
    assert history[-1]["occurred_on"]["value"] == fields["occurred_on"]
    assert history[-1]["occurred_on"]["precision"] == precision


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"occurred_on": "2024-05", "precision": "day"}, "states a month"),
        ({"occurred_on": "2024-13"}, "not a date in the calendar"),
        ({"occurred_on": "May 2024"}, "YYYY-MM"),
        ({"occurred_on": "2019-12", "kind": "withdrawn"}, "before the 2020 principles"),
    ],
)
def test_dates_that_cannot_be_are_refused(client, keys, fields, says):
    response = _record(client, keys, "snap", **fields)
    assert response.status_code == 422
    assert says in response.text


def test_events_must_follow_the_one_before(client, keys):
    again = _record(client, keys, "meta")
    assert again.status_code == 409
    assert "endorsing already (since 2020-03-05)" in again.json()["detail"]
    assert _record(client, keys, "meta", kind="reaffirmed").status_code == 201
    assert (
        _record(client, keys, "meta", kind="withdrawn", occurred_on="2025-01-02").status_code == 201
    )
    twice = _record(client, keys, "meta", kind="withdrawn", occurred_on="2025-02-03")
    assert twice.status_code == 409
    assert "not endorsing on 2025-02-03" in twice.json()["detail"]
    before_it = _record(client, keys, "meta", kind="lapsed", occurred_on="2019-06-01")
    assert before_it.status_code == 422  # before the principles, whatever came before


def test_a_mistake_is_retracted_not_deleted(client, keys):
    admin = auth(keys["admin"])
    mistake = _record(client, keys, "snap", kind="withdrawn", occurred_on="2023-04-01").json()
    assert client.get("/api/v1/companies/snap").json()["endorsement"]["status"] == "withdrawn"
    url = f"/api/v1/companies/snap/endorsement-events/{mistake['id']}/retraction"
    body = {"reason": "Recorded against the wrong company.", "source_url": SOURCE}
    assert client.post(url, json=body).status_code == 401
    retracted = client.post(url, json=body, headers=admin)
    assert retracted.status_code == 201, retracted.text
    assert retracted.json()["retracted"]["reason"] == body["reason"]
    company = client.get("/api/v1/companies/snap").json()
    assert company["endorsement"]["status"] == "endorsed"  # it no longer counts
    marked = [e for e in company["endorsement_history"] if e["id"] == mistake["id"]]
    assert marked  # still in the history
    assert marked[0]["retracted"]["source_url"] == SOURCE
    assert client.post(url, json=body, headers=admin).status_code == 409  # once only
    changes = client.get("/api/v1/changes?since=0&limit=200").json()["items"]
    assert any(c["action"] == "endorsement.retracted" for c in changes)
    exported = client.get("/api/v1/exports/endorsement-events.csv").text.splitlines()
    assert ",earliest,latest," in exported[0]
    assert exported[0].endswith(",retracted,retraction_reason")
    marked_rows = [line for line in exported if body["reason"] in line]
    assert len(marked_rows) == 1  # marked, not dropped
    assert ",true," + body["reason"] in marked_rows[0]


def test_a_retraction_that_would_leave_nonsense_is_refused(client, keys):
    admin = auth(keys["admin"])
    history = client.get("/api/v1/companies/snap").json()["endorsement_history"]
    _record(client, keys, "snap", kind="withdrawn", occurred_on="2023-04-01")
    url = f"/api/v1/companies/snap/endorsement-events/{history[0]['id']}/retraction"
    body = {"reason": "The launch-day endorsement was someone else's."}
    response = client.post(url, json=body, headers=admin)
    assert response.status_code == 409
    assert "would leave" in response.json()["detail"]
    missing = client.post(
        "/api/v1/companies/meta/endorsement-events/999999/retraction", json=body, headers=admin
    )
    assert missing.status_code == 404
