"""Every write endpoint, from the app's own routes, against every role: deny by default.

A new write route without a line in EXPECTED fails here, so no route ships without a rule.
"""

import re

import pytest
from fastapi.routing import iter_route_contexts

from app.main import create_app
from tests.conftest import auth

ROLES = ("anonymous", "ngo", "government", "company", "admin")
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

EXPECTED: dict[tuple[str, str], set[str]] = {
    ("POST", "/api/v1/companies"): {"admin"},
    ("PATCH", "/api/v1/companies/{slug}"): {"admin"},
    ("POST", "/api/v1/companies/{slug}/endorsement-events"): {"admin"},
    ("POST", "/api/v1/companies/{slug}/transparency-reports"): {"admin"},
    ("POST", "/api/v1/companies/{slug}/endorsement-events/{event_id}/retraction"): {"admin"},
    ("POST", "/api/v1/keys"): {"admin"},
    ("POST", "/api/v1/keys/{key_id}/revoke"): {"admin"},
    ("POST", "/api/v1/keys/{key_id}/rotate"): {"admin"},
    ("POST", "/api/v1/updates"): {"company"},
    ("POST", "/api/v1/updates/batch"): {"company"},
    ("PATCH", "/api/v1/updates/{update_id}"): {"company"},
    ("POST", "/api/v1/updates/{update_id}/submit"): {"company"},
    ("POST", "/api/v1/updates/{update_id}/amend"): {"company"},
    ("POST", "/api/v1/updates/{update_id}/reviews"): {"government"},
    ("POST", "/api/v1/updates/{update_id}/reviews/{review_id}/answers"): {"company"},
    ("POST", "/api/v1/reporting-cycles"): {"government", "admin"},
}
PATH_VALUES = {
    "slug": "meta",
    "key_id": "abcdefgh",
    "update_id": "1",
    "review_id": "1",
    "event_id": "1",
}


def _write_routes() -> list[tuple[str, str]]:
    """Every (method, path) the app serves that writes, included routers resolved."""
    return sorted(
        (method, str(route.path_format))
        for route in iter_route_contexts(create_app().routes)
        for method in (route.methods or set()) & WRITE_METHODS
    )


def test_every_write_route_has_a_rule():
    assert set(_write_routes()) == set(EXPECTED)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path"), _write_routes())
def test_only_the_allowed_roles_get_past_authorisation(client, keys, method, path, role):
    url = re.sub(r"\{(\w+)\}", lambda m: PATH_VALUES[m[1]], path)
    headers = {} if role == "anonymous" else auth(keys[role])
    response = client.request(method, url, json={}, headers=headers)
    if role in EXPECTED[(method, path)]:
        assert response.status_code not in {401, 403}, response.text
    elif role == "anonymous":
        assert response.status_code == 401, response.text
    else:
        assert response.status_code == 403, response.text
