"""The published contract: every parameter titled, described and bounded; errors documented;
the docs pages work offline."""

import base64
import hashlib
import re
from collections.abc import Iterator
from typing import Any

import pytest

from app.core.pagination import MAX_PAGE_SIZE
from tests.conftest import auth


def _parameters(spec: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                yield f"{method.upper()} {path} {parameter['name']}", parameter


def _schemas(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The schema itself and each branch of an anyOf (optional parameters)."""
    return [schema, *schema.get("anyOf", [])]


def _bounded(spec: dict[str, Any], schema: dict[str, Any]) -> bool:
    outer_bounds: dict[str, Any] = {k: schema[k] for k in ("maxLength", "maximum") if k in schema}
    for branch in _schemas(schema):
        resolved = branch
        if "$ref" in branch:
            resolved = spec["components"]["schemas"][branch["$ref"].rsplit("/", 1)[-1]]
        merged = {**outer_bounds, **resolved}
        kind = merged.get("type")
        if kind == "string" and not (
            "maxLength" in merged
            or "enum" in merged
            or merged.get("format") in {"date", "date-time"}
        ):
            return False
        if kind == "integer" and "maximum" not in merged:
            return False
    return True


def test_every_parameter_is_titled_described_and_bounded(client):
    spec = client.get("/openapi.json").json()
    parameters = dict(_parameters(spec))
    assert parameters, "no parameters found"
    untitled = [n for n, p in parameters.items() if not p["schema"].get("title")]
    undescribed = [n for n, p in parameters.items() if not p.get("description")]
    unbounded = [n for n, p in parameters.items() if not _bounded(spec, p["schema"])]
    assert (untitled, undescribed, unbounded) == ([], [], [])


def test_page_size_is_capped_in_the_contract(client):
    spec = client.get("/openapi.json").json()
    limit = dict(_parameters(spec))["GET /api/v1/companies limit"]
    assert limit["schema"]["maximum"] == MAX_PAGE_SIZE


def test_errors_are_documented_as_problem_json(client):
    spec = client.get("/openapi.json").json()
    detail = spec["paths"]["/api/v1/companies/{slug}"]["get"]["responses"]
    assert "application/problem+json" in detail["404"]["content"]
    assert "application/problem+json" in detail["422"]["content"]


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_docs_work_offline_under_a_content_security_policy(client, page):
    """No CDN, no Google Fonts: every script, style and icon the page loads is the app's own,
    and the policy lets in nothing else (issue 13)."""
    answer = client.get(page)
    assert answer.status_code == 200
    html = answer.text
    assert not re.search(r"(src|href)=[\"']?https?://", html), "loads from another origin"
    assert "fonts.googleapis" not in html
    policy = answer.headers["content-security-policy"]
    assert "default-src 'none'" in policy
    assert "https:" not in policy
    assert "*" not in policy
    assert answer.headers["x-content-type-options"] == "nosniff"
    inline = re.findall(r"<script>(.*?)</script>", html, re.DOTALL)
    for script in inline:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy
    assets = re.findall(r"(?:src|href)=\"(/docs-assets/[^\"]+)\"", html)
    assert assets
    for asset in assets:
        served = client.get(asset)
        assert served.status_code == 200, asset
        assert served.headers["x-content-type-options"] == "nosniff"


def test_the_contract_says_where_a_key_goes_and_where_it_is_needed(client):
    """Clients generated from the document, and /docs' Authorize button, learn the bearer
    scheme; an operation that takes only some roles requires it, a public read makes it
    optional (`{}`: no key is an answer too)."""
    spec = client.get("/openapi.json").json()
    assert spec["components"]["securitySchemes"]["apiKey"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "vpr_<key id>_<secret>_<check digits>",
        "description": spec["components"]["securitySchemes"]["apiKey"]["description"],
    }
    paths = spec["paths"]
    assert paths["/api/v1/companies"]["get"]["security"] == [{}, {"apiKey": []}]
    assert paths["/api/v1/companies"]["post"]["security"] == [{"apiKey": []}]
    assert paths["/api/v1/updates/{update_id}/submit"]["post"]["security"] == [{"apiKey": []}]
    assert paths["/api/v1/audit"]["get"]["security"] == [{"apiKey": []}]
    api = [op for path, ops in paths.items() if path.startswith("/api/v1") for op in ops.values()]
    assert all("security" in operation for operation in api)


def test_the_contracts_request_examples_are_accepted(client, keys):
    """The examples /docs shows for the main flows work as they stand."""
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    example = {name: schemas[name]["examples"][0] for name in ("UpdateCreate", "CycleCreate")}
    created = client.post(
        "/api/v1/updates", json=example["UpdateCreate"], headers=auth(keys["company"])
    )
    assert created.status_code == 201, created.text
    opened = client.post(
        "/api/v1/reporting-cycles", json=example["CycleCreate"], headers=auth(keys["government"])
    )
    assert opened.status_code == 201, opened.text
    for name in (
        "UpdateChange",
        "ReviewCreate",
        "AnswerCreate",
        "KeyCreate",
        "EndorsementEventCreate",
    ):
        assert schemas[name]["examples"], name
