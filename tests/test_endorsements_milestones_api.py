"""GET /endorsements across companies and GET /milestones."""

from datetime import date

import pytest

from tests import factories


def test_endorsement_events_oldest_first_with_sources(client):
    body = client.get("/api/v1/endorsements").json()
    assert body["total"] == 11
    dates = [e["occurred_on"]["earliest"] for e in body["items"]]
    assert dates == sorted(dates)
    assert body["items"][0]["company"] == "meta"  # launch day, recorded first
    amazon = next(e for e in body["items"] if e["company"] == "amazon")
    assert amazon["occurred_on"] == {  # a stated range (issue 30), each bound with its source
        "value": "2020-03-05/2021-03-31", "precision": "range",
        "earliest": "2020-03-05", "latest": "2021-03-31",
    }  # fmt: skip
    assert amazon["date_bounds"]["latest_source_url"].startswith("https://www.publicsafety.gc.ca/")
    assert "in 2020" in amazon["date_bounds"]["note"]
    assert "date_bounds" not in body["items"][0]  # written for a range only
    assert all(e["source_url"].startswith("https://") for e in body["items"])
    assert "not verification" in body["notice"]


def test_endorsement_filters(client, session):
    roblox = session.exec(factories.select_company("roblox")).one()
    factories.event(session, roblox, "withdrawn", date(2025, 1, 10))

    def companies(query: str) -> list[tuple[str, str]]:
        items = client.get(f"/api/v1/endorsements?{query}").json()["items"]
        return [(e["company"], e["kind"]) for e in items]

    assert companies("kind=withdrawn") == [("roblox", "withdrawn")]
    assert companies("status=withdrawn") == [("roblox", "endorsed"), ("roblox", "withdrawn")]
    assert companies("company=tiktok") == [("tiktok", "endorsed")]
    assert companies("occurred_after=2020-04-01&occurred_before=2024-12-31") == [
        ("match-group", "endorsed")
    ]


@pytest.mark.parametrize(
    "query", ["kind=paused", "status=maybe", "company=Bad_Slug", "occurred_after=2020-13-01"]
)
def test_bad_endorsement_filters_are_422(client, query):
    response = client.get(f"/api/v1/endorsements?{query}")
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


def test_milestones_in_order(client):
    milestones = client.get("/api/v1/milestones").json()["items"]
    assert len(milestones) == 11
    # Every milestone has a source: a URL, a citation, or both (issue 12).
    assert all(m["source_url"] or m["citation"]["title"] for m in milestones)
    # By earliest day, then the more precise date first (issue 30), as endorsements are.
    rank = {"day": 0, "month": 1, "year": 2}
    keys = [(m["occurred_on"]["earliest"], rank[m["occurred_on"]["precision"]]) for m in milestones]
    assert keys == sorted(keys)
    slugs = [m["slug"] for m in milestones]
    assert slugs[0] == "fcm-london-2019-roundtable"
    assert slugs.index("launch-washington-2020") < slugs.index("smaller-companies-guide-2020")
    assert milestones[-1]["slug"] == "fcm-2024-seek-updates"
    assert milestones[-1]["occurred_on"] == {
        "value": "2024-10-18",
        "precision": "day",
        "earliest": "2024-10-18",
        "latest": "2024-10-18",
    }
    assert milestones[-1]["source_url"] == (
        "https://www.gov.uk/government/publications/five-country-ministerial-communique-2024"
    )


def test_one_milestone_and_an_unknown_one(client):
    launch = client.get("/api/v1/milestones/launch-washington-2020").json()
    assert launch["occurred_on"]["value"] == "2020-03-05"
    # The Department of Justice's announcement, not the embassy's reprint (issue 30).
    assert launch["source_url"] == (
        "https://www.justice.gov/opa/speech/"
        "attorney-general-william-p-barr-announces-launch-voluntary-principles-counter-online"
    )
    assert client.get("/api/v1/milestones/nothing-here").status_code == 404


def test_a_milestone_is_cited_and_linked(client):
    """Issue 30: Mito 2023 had a citation and no link; the guide was dated only to its year."""
    mito = client.get("/api/v1/milestones/g7-mito-2023").json()
    assert mito["source_url"] == (
        "https://www.dhs.gov/news/2023/12/11/g7-interior-and-security-ministers-communique"
    )
    assert mito["citation"]["publisher"] == "G7 Interior and Security Ministers"
    assert mito["citation"]["title"].startswith("G7 Interior and Security Ministers' Communiqué")
    assert mito["citation"]["date"]["value"] == "2023-12-10"
    guide = client.get("/api/v1/milestones/smaller-companies-guide-2020").json()
    assert guide["occurred_on"]["value"] == "2020-12"  # the Canadian briefing's month
    assert guide["source_url"].startswith("https://www.publicsafety.gc.ca/")
    g7 = client.get("/api/v1/milestones/g7-action-plan-2021").json()
    assert g7["occurred_on"]["value"] == "2021-09-09"
    assert g7["source_url"].startswith("https://www.gov.uk/government/publications/g7-interior")
