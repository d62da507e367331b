"""GET /companies and /companies/{slug}: filters, sorting, pagination, derived status."""

from datetime import date

import pytest

from tests import factories
from tests.test_seed import EXPECTED_ENDORSERS

PROBLEM = "application/problem+json"


def _slugs(client, query: str) -> list[str]:
    response = client.get(f"/api/v1/companies?{query}")
    assert response.status_code == 200, response.text
    return [c["slug"] for c in response.json()["items"]]


def test_endorsed_lists_the_sourced_with_dates_precision_and_sources(client):
    body = client.get("/api/v1/companies?status=endorsed").json()
    assert body["total"] == len(EXPECTED_ENDORSERS)
    assert "not verification" in body["notice"]
    by_slug = {c["slug"]: c["endorsement"] for c in body["items"]}
    assert set(by_slug) == set(EXPECTED_ENDORSERS)
    assert by_slug["tiktok"]["endorsed_on"] == {
        "value": "2020-03",
        "precision": "month",
        "earliest": "2020-03-05",  # not before the principles were published
        "latest": "2020-03-31",
    }
    assert by_slug["amazon"]["endorsed_on"]["value"] == "2020-03-05/2021-03-31"
    assert by_slug["meta"]["consulted_in_drafting"] is True
    assert by_slug["match-group"]["consulted_in_drafting"] is False
    assert all(e["source_url"].startswith("https://") for e in by_slug.values())


@pytest.mark.parametrize(("q", "slug"), [("facebook", "meta"), ("TWITT", "x"), ("Meta", "meta")])
def test_q_finds_current_and_former_names(client, q, slug):
    assert _slugs(client, f"q={q}") == [slug]


def test_q_treats_like_wildcards_literally(client, session):
    factories.company(session, "percent", "100% Safe")
    assert _slugs(client, "q=%25") == ["percent"]
    assert _slugs(client, "q=_") == []


def test_filters_by_country_sector_and_endorsement_dates(client, session):
    factories.company(session, "bbc", "BBC", country="GB", sectors=("video_sharing",))
    assert _slugs(client, "country=gb") == ["bbc"]
    assert _slugs(client, "sector=dating") == ["match-group"]
    assert _slugs(client, "endorsed_after=2020-04-01") == ["match-group"]
    assert _slugs(client, "endorsed_after=2020-04-01&date_match=possible") == [
        "amazon",  # a range to March 2021: possibly after April 2020
        "match-group",
        "one-new-zealand",  # ranges to May 2024
        "spark-new-zealand",
    ]
    assert _slugs(client, "endorsed_before=2020-02-01") == []  # nobody, before the principles


def test_status_follows_the_latest_event(client, session):
    snap = session.exec(factories.select_company("snap")).one()
    factories.event(session, snap, "withdrawn", date(2025, 6, 1))
    assert "snap" not in _slugs(client, "status=endorsed")
    assert _slugs(client, "status=withdrawn") == ["snap"]
    endorsement = client.get("/api/v1/companies/snap").json()["endorsement"]
    assert endorsement["status"] == "withdrawn"
    assert endorsement["endorsed_on"]["value"] == "2020-03-05"
    assert endorsement["status_since"]["value"] == "2025-06-01"

    factories.event(session, snap, "endorsed", date(2026, 1, 15))
    factories.event(session, snap, "reaffirmed", date(2026, 6, 1))
    endorsement = client.get("/api/v1/companies/snap").json()["endorsement"]
    assert endorsement["status"] == "endorsed"
    assert endorsement["status_since"]["value"] == "2026-01-15"


def test_a_company_without_events_is_not_endorsed(client, session):
    factories.company(session, "newco")
    assert _slugs(client, "status=not_endorsed") == ["newco"]
    body = client.get("/api/v1/companies/newco").json()
    assert body["endorsement"]["status"] == "not_endorsed"
    assert body["endorsement"]["endorsed_on"] is None
    assert body["endorsement_history"] == []


@pytest.mark.parametrize(
    ("sort", "first", "last"),
    [
        ("name", "amazon", "x"),
        ("-name", "x", "amazon"),
        ("endorsed_on", "google", "match-group"),  # day precision, then by name
        ("-endorsed_on", "match-group", "google"),
    ],
)
def test_sort_orders(client, sort, first, last):
    slugs = _slugs(client, f"sort={sort}")
    assert (slugs[0], slugs[-1]) == (first, last)


def test_following_next_visits_every_company_once(client, session):
    for n in range(23):
        factories.company(session, f"company-{n:02d}")
    seen: list[str] = []
    url = "/api/v1/companies?limit=10"
    while url:
        body = client.get(url).json()
        assert body["limit"] == 10
        seen += [c["slug"] for c in body["items"]]
        url = body["next"]
    assert len(seen) == len(set(seen)) == body["total"] == 23 + len(EXPECTED_ENDORSERS)
    assert body["prev"] == "/api/v1/companies?limit=10&offset=20"


@pytest.mark.parametrize(
    "query",
    [
        "limit=0",
        "limit=201",
        "offset=-1",
        "status=sleeping",
        "country=ZZ",
        "country=USA",
        "sector=crypto",
        "sort=website",
        "endorsed_after=yesterday",
        "q=" + "x" * 101,
    ],
)
def test_bad_filters_are_problem_422(client, query):
    response = client.get(f"/api/v1/companies?{query}")
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["status"] == 422
    assert problem["errors"][0]["location"][0] == "query"


def test_company_detail_with_history_in_order(client, session):
    x = session.exec(factories.select_company("x")).one()
    factories.event(session, x, "withdrawn", date(2024, 2, 1), source_url="https://example.org/w")
    body = client.get("/api/v1/companies/x").json()
    twitter = {
        "value": "2023-07", "precision": "month", "earliest": "2023-07-01", "latest": "2023-07-31"
    }  # fmt: skip
    assert body["former_names"] == [{
        "name": "Twitter", "used_until": twitter,
        "source_url": "https://au.sports.yahoo.com/x-why-twitter-logo-being-122453082.html",
    }]  # fmt: skip
    assert "not verification" in body["notice"]
    history = body["endorsement_history"]
    assert [(e["kind"], e["occurred_on"]["value"]) for e in history] == [
        ("endorsed", "2020-03-05"),
        ("withdrawn", "2024-02-01"),
    ]
    assert history[0]["milestone"] == "launch-washington-2020"
    assert history[0]["recorded_at"].endswith("Z")
    assert body["created_at"].endswith("Z")


def test_unknown_company_is_problem_404(client):
    response = client.get("/api/v1/companies/no-such-company")
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM


def test_malformed_slug_is_problem_422(client):
    assert client.get("/api/v1/companies/Not_A_Slug").status_code == 422
