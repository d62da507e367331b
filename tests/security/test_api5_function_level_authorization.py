"""API5:2023 Broken Function Level Authorization: administrative and government functions are
refused to every other role; every write route needs a key (deny by default). The full
route-by-role matrix is tests/test_access_matrix.py."""

import re

import pytest
from fastapi.routing import iter_route_contexts

from app.main import create_app
from tests.conftest import auth

ADMIN_FUNCTIONS = [
    ("POST", "/api/v1/keys", {"name": "x", "role": "admin"}),
    ("GET", "/api/v1/keys", None),
    ("GET", "/api/v1/audit", None),
    ("POST", "/api/v1/companies", {"slug": "acme", "name": "Acme"}),
    (
        "POST",
        "/api/v1/companies/meta/endorsement-events",
        {"kind": "withdrawn", "occurred_on": "2025-01-01", "source_url": "https://e.org"},
    ),
    ("PATCH", "/api/v1/companies/meta", {"name": "Meta Platforms"}),
]
GOVERNMENT_FUNCTIONS = [
    (
        "POST",
        "/api/v1/reporting-cycles",
        {
            "title": "t",
            "opens_on": "2025-01-01",
            "due_on": "2999-02-01",
            "period_start": "2025-01-01",
            "period_end": "2025-12-31",
        },
    ),
    ("POST", "/api/v1/updates/1/reviews", {"kind": "acknowledged"}),
]


@pytest.mark.parametrize("role", ["ngo", "government", "company", "other_company"])
@pytest.mark.parametrize(("method", "path", "body"), ADMIN_FUNCTIONS)
def test_admin_functions_are_refused_to_other_roles(client, keys, role, method, path, body):
    response = client.request(method, path, json=body, headers=auth(keys[role]))
    assert response.status_code == 403, response.text


@pytest.mark.parametrize("role", ["ngo", "company"])
@pytest.mark.parametrize(("method", "path", "body"), GOVERNMENT_FUNCTIONS)
def test_government_functions_are_refused_to_ngos_and_companies(
    client, keys, role, method, path, body
):
    response = client.request(method, path, json=body, headers=auth(keys[role]))
    assert response.status_code == 403, response.text


def _write_routes() -> list[tuple[str, str]]:
    return sorted(
        (method, str(route.path_format))
        for route in iter_route_contexts(create_app().routes)
        for method in (route.methods or set()) - {"GET", "HEAD"}
    )


@pytest.mark.parametrize(("method", "path"), _write_routes())
def test_every_write_route_denies_callers_without_a_key(client, method, path):
    url = re.sub(r"\{\w+\}", "1", path)
    response = client.request(method, url, json={})
    assert response.status_code == 401, (method, path, response.status_code)
