"""How to authenticate, in the contract: the bearer key as a security scheme, required where a
route takes only some roles, optional on public reads (so clients and /docs' Authorize button
know where to send it)."""

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts

from app.core.urls import API_PREFIX

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
Requirement = list[dict[str, list[str]]]


def _requires_key(dependant: Dependant) -> bool:
    """A route that lets through only some roles (`keys.dependencies.require_roles`)."""
    if getattr(dependant.call, "requires_key", False):
        return True
    return any(_requires_key(sub) for sub in dependant.dependencies)


def security_of(app: FastAPI) -> dict[tuple[str, str], Requirement]:
    """Per (path, method): the key required, or optional (`{}`: no key is an answer too)."""
    found: dict[tuple[str, str], Requirement] = {}
    for context in iter_route_contexts(app.routes):
        route = context.route
        if isinstance(route, APIRoute) and route.path_format.startswith(API_PREFIX):
            needed: Requirement = [{SCHEME: []}]
            if not _requires_key(route.dependant):
                needed = [{}, {SCHEME: []}]
            for method in route.methods or ():
                found[(route.path_format, method.lower())] = needed
    return found
