"""API9:2023 Improper Inventory Management: every route the app serves is in its OpenAPI
document, under one versioned prefix, or is one of the web pages (`PAGE_PATHS`, each the twin
of an API answer); and the document names its version."""

from fastapi.routing import iter_route_contexts

from app.core.urls import API_PREFIX, PAGE_PATHS
from app.main import create_app

FRAMEWORK_PAGES = {"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}
OPERATIONS = {"/healthz", "/readyz", "/metrics"}
WEB_PAGES = {"/", "/companies", "/companies/{slug}", "/updates/{update_id}", "/principles",
             "/coverage", "/reporting-cycles", "/reporting-cycles/{cycle_id}", "/data"}  # fmt: skip


def test_every_served_route_is_documented():
    app = create_app()
    served = {
        (method.lower(), route.path_format)
        for route in iter_route_contexts(app.routes)
        for method in (route.methods or set()) - {"HEAD"}
        if route.path_format not in FRAMEWORK_PAGES | WEB_PAGES
    }
    documented = {
        (method, path)
        for path, operations in app.openapi()["paths"].items()
        for method in operations
    }
    assert served == documented
    pages = {str(route.path_format) for route in iter_route_contexts(app.routes)} & WEB_PAGES
    assert pages == WEB_PAGES  # every page is served, and the cache's list names each of them
    example = {"{slug}": "meta", "{update_id}": "1", "{cycle_id}": "1"}
    for template in pages:
        path = template
        for placeholder, value in example.items():
            path = path.replace(placeholder, value)
        assert PAGE_PATHS.match(path), path


def test_the_api_lives_under_one_versioned_prefix():
    paths = create_app().openapi()["paths"]
    assert API_PREFIX == "/api/v1"
    assert {path for path in paths if not path.startswith(API_PREFIX)} == OPERATIONS


def test_the_document_names_its_version():
    info = create_app().openapi()["info"]
    assert info["title"] == "VP Registry"
    assert info["version"]
