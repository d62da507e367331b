"""Mistyped requests are told so: an unknown query parameter, a filter naming something the
registry does not hold, a contradictory range: each a 422 naming it, never a page that looks
like an answer."""

import pytest

from tests.conftest import auth


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/companies?statuss=endorsed",
        "/api/v1/companies/meta?verbose=1",
        "/api/v1/updates?cachebuster=7",
        "/api/v1/endorsements?kinds=withdrawn",
        "/api/v1/stats/adoption?versoin=2020",
        "/api/v1/principles?x=1",
    ],
)
def test_unknown_query_parameters_are_422(client, url):
    response = client.get(url)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    unknown = url.split("?")[1].split("=")[0]
    assert f"`{unknown}`" in response.json()["detail"]


def test_known_parameters_still_work(client):
    assert client.get("/api/v1/companies?status=endorsed&sort=-name&limit=2").status_code == 200
    assert client.get("/api/v1/audit?since=0").status_code == 401  # its own names, then the key


@pytest.mark.parametrize(
    ("url", "names"),
    [
        ("/api/v1/updates?company=nosuch", "company 'nosuch'"),
        ("/api/v1/updates?principle=VP-99", "principle 'VP-99'"),
        ("/api/v1/updates?version=1999", "framework version '1999'"),
        ("/api/v1/updates?reporting_cycle=99", "reporting cycle 99"),
        ("/api/v1/endorsements?company=nosuch", "company 'nosuch'"),
    ],
)
def test_a_filter_naming_nothing_the_registry_holds_is_422(client, keys, url, names):
    response = client.get(url, headers=auth(keys["government"]))
    assert response.status_code == 422, response.text
    assert names in response.json()["detail"]


def test_a_contradictory_range_is_422(client):
    response = client.get(
        "/api/v1/endorsements?occurred_after=2024-01-01&occurred_before=2023-01-01"
    )
    assert response.status_code == 422
    assert "empty" in response.json()["detail"]


def test_a_key_with_wrong_check_digits_is_called_mistyped(client, keys):
    key = keys["government"]
    last = "0" if key[-1] != "0" else "1"
    response = client.get("/api/v1/whoami", headers=auth(key[:-1] + last))
    assert response.status_code == 401
    assert "mistyped" in response.json()["detail"]


@pytest.mark.parametrize(
    ("asked", "location"),
    [
        ("/api/v1/companies/Meta", "/api/v1/companies/meta"),
        ("/api/v1/companies/facebook", "/api/v1/companies/meta"),  # a former name
        ("/api/v1/companies/twitter/history", "/api/v1/companies/x/history"),
    ],
)
def test_a_slug_in_another_case_or_a_former_name_redirects(client, asked, location):
    response = client.get(asked, follow_redirects=False)
    assert response.status_code == 308
    assert response.headers["location"] == location
    assert client.get(asked).status_code == 200  # following it lands on the company


def test_a_slug_nobody_had_is_404_naming_it(client):
    response = client.get("/api/v1/companies/nobody-ever")
    assert response.status_code == 404
    assert "'nobody-ever'" in response.json()["detail"]


def test_validation_says_what_a_value_must_be_in_words(client, keys):
    body = {"slug": "Not A Slug", "name": "X", "website": "http://plain.example.org"}
    response = client.post("/api/v1/companies", json=body, headers=auth(keys["admin"]))
    assert response.status_code == 422
    details = {tuple(e["location"]): e["detail"] for e in response.json()["errors"]}
    assert "lower-case letters, digits and hyphens" in details[("body", "slug")]
    assert "an https URL" in details[("body", "website")]
    assert "^" not in " ".join(details.values())  # no regular expressions
