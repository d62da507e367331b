"""The web pages (issue 14), served by the same app from the same reads, in the anonymous view:
every page answers with HTML, an ETag and 304s, links its JSON twin, shows what the API shows,
and shows text from outside as text."""

import copy
import re
from typing import Any

import pytest

from tests.conftest import auth
from tests.test_updates_workflow import DRAFT

PAGES = ["/", "/companies", "/companies?status=endorsed&sort=-endorsed_on", "/companies/meta",
         "/principles", "/coverage", "/reporting-cycles", "/data"]  # fmt: skip
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _published(
    client: Any, keys: dict[str, str], narrative: str = "Hash matching."
) -> dict[str, Any]:
    body = copy.deepcopy(DRAFT)
    body["entries"][0]["narrative"] = narrative
    company = auth(keys["company"])
    draft = client.post("/api/v1/updates", json=body, headers=company)
    submitted = client.post(
        f"{draft.json()['url']}/submit", headers=company | {"If-Match": draft.headers["etag"]}
    )
    assert submitted.status_code == 200, submitted.text
    return dict(submitted.json())


@pytest.mark.parametrize("path", PAGES)
def test_every_page_is_html_with_an_etag_and_its_json_twin(client, path):
    page = client.get(path)
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert '<html lang="en">' in page.text
    twin = re.search(r'<link rel="alternate" type="application/json" href="([^"]+)">', page.text)
    assert twin is not None
    assert client.get(twin[1].replace("&amp;", "&")).status_code == 200
    again = client.get(path, headers={"If-None-Match": page.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""
    # Both notices, on every page.
    assert "Endorsement is not implementation." in page.text
    assert "What the registry holds." in page.text


def test_the_company_page_shows_what_the_api_answers(client, keys):
    update = _published(client, keys)
    api = client.get("/api/v1/companies/meta").json()
    page = client.get("/companies/meta").text
    for event in api["endorsement_history"]:
        assert f'href="{event["source_url"]}"' in page
        assert event["occurred_on"]["value"] in page
    for former in api["former_names"]:
        assert former["name"] in page
    assert f'href="/updates/{update["id"]}"' in page
    statuses = {row["status"] for row in api["implementation"]}
    assert "not_reported" in statuses
    # Issue 30: "Not reported" read as "publishes nothing"; the registry knows only its own.
    assert "None submitted here" in page
    assert "Not reported" not in page
    assert (
        'rel="alternate"; type="text/html"' in client.get("/api/v1/companies/meta").headers["link"]
    )


def test_text_from_outside_is_shown_as_text(client, keys):
    update = _published(client, keys, narrative=HOSTILE)
    page = client.get(f"/updates/{update['id']}").text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert "<script>" not in page
    assert "onerror=alert" not in page.replace("&lt;img src=x onerror=alert(1)&gt;", "")


def test_an_update_page_links_its_amendment_both_ways(client, keys):
    original = _published(client, keys)
    company = auth(keys["company"])
    amendment = client.post(f"{original['url']}/amend", headers=company).json()
    client.post(
        f"{amendment['url']}/submit",
        headers=company
        | {"If-Match": client.get(amendment["url"], headers=company).headers["etag"]},
    )
    old = client.get(f"/updates/{original['id']}").text
    new = client.get(f"/updates/{amendment['id']}").text
    assert f'href="/updates/{amendment["id"]}"' in old
    assert f'href="/updates/{original["id"]}"' in new
    assert "Metrics reported for VP-01" in new
    assert 'href="https://example.org/report"' in new


def test_missing_and_moved_pages(client, keys):
    missing = client.get("/companies/no-such-company")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("text/html")
    moved = client.get("/companies/facebook", follow_redirects=False)
    assert moved.status_code == 308
    assert moved.headers["location"] == "/companies/meta"
    company = auth(keys["company"])
    draft = client.post("/api/v1/updates", json=DRAFT, headers=company).json()
    assert client.get(f"/updates/{draft['id']}").status_code == 404  # drafts stay private
    assert client.get(f"/updates/{draft['id']}", headers=company).status_code == 404  # here too


def test_the_companies_table_filters_and_pages_without_javascript(client):
    endorsing = client.get("/companies?status=endorsed&limit=2")
    assert endorsing.status_code == 200
    following = re.search(r'<a href="([^"]+)" rel="next">', endorsing.text)
    assert following is not None
    second = client.get(following[1].replace("&amp;", "&"))
    assert second.status_code == 200
    first_rows = re.findall(r'<th scope="row"><a href="/companies/([^"]+)"', endorsing.text)
    second_rows = re.findall(r'<th scope="row"><a href="/companies/([^"]+)"', second.text)
    assert len(first_rows) == 2
    assert not set(first_rows) & set(second_rows)
    assert client.get("/companies?status=nonsense").status_code == 422


def test_charts_have_their_numbers_beside_them(client):
    home = client.get("/").text
    assert '<svg class="chart"' in home
    assert '<title id="chart-title">' in home
    api = client.get("/api/v1/stats/endorsements-over-time").json()
    last = api["months"][-1]
    assert f'<th scope="row">{last["month"]}</th><td>{last["certainly_endorsing"]}</td>' in home


def test_pages_claim_no_more_than_their_sources(client, keys):
    """Issue 30: the footer said "Every fact links its public source" (company attributes have
    none yet); a company with no update "has published no implementation update"; the cycles
    page called a registry feature a government process."""
    page = client.get("/companies/google").text
    assert "Every fact links its public source" not in page
    assert "link theirs where one is recorded, and say so where none is" in page
    assert "published no implementation update" not in page
    assert "submitted no implementation update to this registry" in page
    client.post(
        "/api/v1/reporting-cycles",
        json={"title": "Calendar 2025", "opens_on": "2026-01-05", "due_on": "2027-03-31",
              "period_start": "2025-01-01", "period_end": "2025-12-31"},
        headers=auth(keys["government"]),
    )  # fmt: skip
    cycles = client.get("/reporting-cycles").text
    assert "Governments ask companies" not in cycles
    assert "opened in this registry by its government users" in cycles
    assert '<th scope="col">Opened by</th>' in cycles
    assert "<td>UK Home Office</td>" in cycles
    stats = client.get("/api/v1/stats/compliance").json()["items"]
    assert stats[0]["opened_by"] == "UK Home Office"


def test_a_date_stated_as_a_range_shows_its_bounds_and_their_sources(client):
    """Issue 30: Amazon's endorsement is dated between the launch and the Canadian briefing;
    the page says so, with the source of each bound, as the API does."""
    api = client.get("/api/v1/companies/amazon").json()
    bounds = api["endorsement_history"][0]["date_bounds"]
    page = client.get("/companies/amazon").text
    assert "Endorsed on a date between 2020-03-05 and 2021-03-31" in page
    assert "since between" not in page
    assert f'<a href="{bounds["latest_source_url"]}">last day\'s source</a>' in page
    assert "Dated as a range:" in page
