"""The OpenAPI document: what FastAPI derives from the routes, completed with what the HTTP layer
adds (statuses, headers, conditional requests), how to authenticate, tag descriptions and bounds
on every integer. Spectral (spectral:oas and OWASP) lints it in `./dev test`; deliberate
exceptions live in `.spectral.yaml`, each with its reason."""

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute

from app.openapi.answers import IF_NONE_MATCH, headers_of, only_problems, statuses_of
from app.openapi.bounds import bound_integers
from app.openapi.security import SECURITY_SCHEMES, security_of
from app.openapi.tags import TAGS

__all__ = ["TAGS", "complete_openapi", "operation_id"]


def operation_id(route: APIRoute) -> str:
    """The function's name (`list_companies`), not FastAPI's path-and-method concatenation."""
    return route.name


def _parameters(operation: dict[str, Any], method: str, path: str) -> None:
    parameters = operation.setdefault("parameters", [])
    names = {parameter["name"].lower() for parameter in parameters}
    if method == "get" and path.startswith("/api/") and "if-none-match" not in names:
        parameters.append(IF_NONE_MATCH)
    for parameter in parameters:
        # A missing If-Match is a 428 (so the route takes it as optional), but never a choice.
        if parameter["name"].lower() == "if-match" and "428" in operation["responses"]:
            parameter["required"] = True
    if not parameters:
        del operation["parameters"]


def complete_openapi(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """An `app.openapi` that completes FastAPI's document once and keeps it."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = FastAPI.openapi(app)
        security = security_of(app)
        for path, operations in schema["paths"].items():
            for method, operation in operations.items():
                responses = operation.setdefault("responses", {})
                for status, answer in statuses_of(path, method, operation).items():
                    responses.setdefault(str(status), answer)
                for status, body in responses.items():
                    only_problems(status, body)
                    body["headers"] = headers_of(path, method, status, body) | body.get(
                        "headers", {}
                    )
                _parameters(operation, method, path)
                if (path, method) in security:
                    operation["security"] = security[(path, method)]
        components = schema.setdefault("components", {})
        components["securitySchemes"] = SECURITY_SCHEMES
        for unused in ("HTTPValidationError", "ValidationError"):
            components.get("schemas", {}).pop(unused, None)
        bound_integers(schema)
        return schema

    return openapi
