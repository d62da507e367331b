"""Values are taken only in the form the OpenAPI gives them: no Unix times for dates, no strings
or booleans for numbers (each of these once passed, found by schemathesis)."""

import pytest

from tests.conftest import auth

DRAFT = {"period_start": "2025-01-01", "period_end": "2025-12-31", "summary": "s"}
METRIC = {
    "name": "Reports",
    "unit": "count",
    "period_start": "2025-01-01",
    "period_end": "2025-12-31",
}


@pytest.mark.parametrize(
    "query",
    [
        "/api/v1/endorsements?occurred_before=0",
        "/api/v1/updates?period_to=1700000000",
        "/api/v1/companies?endorsed_after=2020",
        "/api/v1/companies?country=00",
        "/api/v1/companies?country=ZZ",
    ],
)
def test_queries_refuse_what_their_schema_refuses(client, query):
    response = client.get(query)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    "change",
    [
        {"period_start": 0},
        {"period_end": "1700000000"},
        {"reporting_cycle": "1"},
        {"reporting_cycle": True},
        {
            "entries": [
                {"principle": "VP-01", "status": "planned", "metrics": [METRIC | {"value": False}]}
            ]
        },
        {
            "entries": [
                {"principle": "VP-01", "status": "planned", "metrics": [METRIC | {"value": "3"}]}
            ]
        },
    ],
)
def test_bodies_refuse_values_of_the_wrong_json_type(client, keys, change):
    response = client.post("/api/v1/updates", json=DRAFT | change, headers=auth(keys["company"]))
    assert response.status_code == 422, response.text


def test_the_same_bodies_with_right_types_are_taken(client, keys):
    entry = {"principle": "VP-01", "status": "planned", "metrics": [METRIC | {"value": 3}]}
    body = DRAFT | {"entries": [entry]}
    response = client.post("/api/v1/updates", json=body, headers=auth(keys["company"]))
    assert response.status_code == 201, response.text


def test_a_lower_case_country_is_still_a_country(client):
    assert client.get("/api/v1/companies?country=us").status_code == 200
