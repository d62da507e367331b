"""Query parameters a route does not take are refused, never ignored (and NUL in any value).

A mistyped filter (`?statuss=endorsed`) that is silently dropped returns an unfiltered answer
that looks like a filtered one; a government analyst would cite it. Each route's own parameter
names (those of its dependencies included) are collected once, from FastAPI's own record.
"""

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from app.core.errors import FieldProblem, InvalidRequestError

_CACHED = "_vpr_query_names"


def _query_names(dependant: Dependant) -> set[str]:
    names: set[str] = set()
    for param in dependant.query_params:
        # A Pydantic model as the query (`Annotated[Model, Query()]`) names its fields.
        fields = getattr(param.field_info.annotation, "model_fields", None)
        if fields:
            names.update(field.alias or name for name, field in fields.items())
        else:
            names.add(param.alias)
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


def _accepted(route: APIRoute) -> frozenset[str]:
    """Kept on the route itself (routes are not hashable, and live as long as their app)."""
    names: frozenset[str] | None = getattr(route, _CACHED, None)
    if names is None:
        names = frozenset(_query_names(route.dependant))
        setattr(route, _CACHED, names)
    return names


async def reject_unknown_query_names(request: Request) -> None:
    # async: no I/O, so no worker thread is taken for it
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    with_nul = sorted(
        {name for name, value in request.query_params.multi_items() if "\x00" in value}
    )
    if with_nul:
        # PostgreSQL refuses NUL in text and SQLite keeps it: refused alike on both engines.
        raise InvalidRequestError(
            "Query values must not contain NUL (U+0000) characters.",
            [FieldProblem(location=["query", name], detail="contains NUL", type="nul")
             for name in with_nul],
        )  # fmt: skip
    unknown = sorted(set(request.query_params) - _accepted(route))
    if unknown:
        accepted = ", ".join(f"`{name}`" for name in sorted(_accepted(route))) or "none"
        problems = [
            FieldProblem(
                location=["query", name], detail="not a parameter of this route", type="unknown"
            )
            for name in unknown
        ]
        raise InvalidRequestError(
            f"Unknown query parameter {', '.join(f'`{n}`' for n in unknown)}; this route takes "
            f"{accepted}.",
            problems,
        )
