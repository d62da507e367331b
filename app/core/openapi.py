"""The OpenAPI document, completed with the answers that come from outside the routes:
middleware (400, 413, 415, 429), the key check (401), conditional GETs (304), and the
database or the server failing (500, 503); and with how to authenticate: the bearer key as a
security scheme, required where a route takes only some roles, optional on public reads (so
clients and /docs' Authorize button know where to send it)."""

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts

from app.core.errors import problem_doc
from app.core.urls import API_PREFIX

RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "schema": {"type": "integer", "minimum": 1},
    }
}
NOT_MODIFIED = {"description": "Not Modified: the ETag sent in If-None-Match is still current."}


def _statuses_of(path: str, method: str, operation: dict[str, Any]) -> dict[int, dict[str, Any]]:
    answers = {500: problem_doc(500), 503: problem_doc(503) | {"headers": RETRY_AFTER}}
    if path.startswith(API_PREFIX):
        answers |= {
            400: problem_doc(400),  # e.g. a key in the query string
            401: problem_doc(401),  # a key that is unknown, expired or revoked
            429: problem_doc(429) | {"headers": RETRY_AFTER},
        }
        if method == "get":
            answers[304] = NOT_MODIFIED
    if "requestBody" in operation:
        answers |= {400: problem_doc(400), 413: problem_doc(413), 415: problem_doc(415)}
    return answers


SCHEME = "apiKey"
SECURITY_SCHEMES = {
    SCHEME: {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "vpr_<key id>_<secret>_<check digits>",
        "description": "An API key, sent as `Authorization: Bearer <key>` (never in a URL). "
        "Published data needs none.",
    }
}


def _requires_key(dependant: Dependant) -> bool:
    """A route that lets through only some roles (`keys.dependencies.require_roles`)."""
    if getattr(dependant.call, "requires_key", False):
        return True
    return any(_requires_key(sub) for sub in dependant.dependencies)


def _security(app: FastAPI) -> dict[tuple[str, str], list[dict[str, list[str]]]]:
    """Per (path, method): the key required, or optional (`{}`: no key is an answer too)."""
    found: dict[tuple[str, str], list[dict[str, list[str]]]] = {}
    for context in iter_route_contexts(app.routes):
        route = context.route
        if isinstance(route, APIRoute) and route.path_format.startswith(API_PREFIX):
            needed: list[dict[str, list[str]]] = [{SCHEME: []}]
            if not _requires_key(route.dependant):
                needed = [{}, {SCHEME: []}]
            for method in route.methods or ():
                found[(route.path_format, method.lower())] = needed
    return found


def complete_openapi(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """An `app.openapi` that adds the statuses above to every operation that lacks them."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = FastAPI.openapi(app)
        security = _security(app)
        for path, operations in schema["paths"].items():
            for method, operation in operations.items():
                responses = operation.setdefault("responses", {})
                for status, answer in _statuses_of(path, method, operation).items():
                    responses.setdefault(str(status), answer)
                if (path, method) in security:
                    operation["security"] = security[(path, method)]
        schema.setdefault("components", {})["securitySchemes"] = SECURITY_SCHEMES
        return schema

    return openapi
