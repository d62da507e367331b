"""Issue 30: "Not reported" read as "publishes nothing". An administrator links, per company,
the reports it publishes itself (title, publisher, date with its precision, https URL); they
are listed in its detail and on its page apart from the updates submitted here, are audited
and logged, and every unhappy path is a clear 4xx that changes nothing."""

import pytest

from tests.conftest import auth
from tests.fingerprint import database_fingerprint

URL = "/api/v1/companies/google/transparency-reports"
REPORT = {
    "title": "Transparency report: child safety, second half of 2024",
    "publisher": "Google",
    "published_on": "2025-03",
    "url": "https://transparencyreport.example/child-safety/2024-h2",
}


def test_a_linked_report_is_listed_apart_from_updates(client, keys):
    linked = client.post(URL, json=REPORT, headers=auth(keys["admin"]))
    assert linked.status_code == 201, linked.text
    assert linked.json()["published"] == {
        "value": "2025-03", "precision": "month", "earliest": "2025-03-01", "latest": "2025-03-31",
    }  # fmt: skip
    detail = client.get("/api/v1/companies/google").json()
    assert [r["title"] for r in detail["transparency_reports"]] == [REPORT["title"]]
    assert detail["transparency_reports"][0]["url"] == REPORT["url"]
    assert all(row["status"] == "not_reported" for row in detail["implementation"])
    page = client.get("/companies/google").text
    assert "Published by the company elsewhere" in page
    assert f'href="{REPORT["url"]}"' in page
    assert "They are not\n  updates submitted to this registry." in page
    changes = client.get("/api/v1/changes?limit=1000").json()["items"]
    assert changes[-1]["action"] == "company.report_linked"
    assert changes[-1]["url"] == "/api/v1/companies/google"
    assert client.get("/api/v1/companies/meta").json()["transparency_reports"] == []


@pytest.mark.parametrize(
    ("role", "change", "status"),
    [
        (None, {}, 401),
        ("company", {}, 403),
        ("government", {}, 403),
        ("admin", {"url": "http://insecure.example/report"}, 422),
        ("admin", {"published_on": "March 2025"}, 422),
        ("admin", {"published_on": "2025-03-05/2025-04-01"}, 422),  # a report states a date
        ("admin", {"title": ""}, 422),
        ("admin", {"verified": True}, 422),  # unknown field
        ("admin", {"title": "x" * 301}, 422),
        ("admin", {"publisher": "Goo\u202egle"}, 422),  # reordering character
    ],
)
def test_bad_links_are_refused_and_change_nothing(client, keys, session, role, change, status):
    before = database_fingerprint(session)
    headers = auth(keys[role]) if role else {}
    refused = client.post(URL, json=REPORT | change, headers=headers)
    assert refused.status_code == status, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert database_fingerprint(session) == before


def test_a_report_for_an_unknown_company_is_404(client, keys):
    missing = client.post(
        "/api/v1/companies/no-such-company/transparency-reports",
        json=REPORT,
        headers=auth(keys["admin"]),
    )
    assert missing.status_code == 404
