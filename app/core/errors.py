"""Every error leaves as application/problem+json (RFC 9457), whoever raised it."""

import logging
from http import HTTPStatus
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import BaseModel, Field
from sqlalchemy.exc import DataError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.core.observability import REQUEST_ID_HEADER, current_request_id

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "urn:vpr:problem:"
UNAVAILABLE_RETRY_AFTER_S = 5

log = logging.getLogger(__name__)


class FieldProblem(BaseModel):
    location: list[str | int] = Field(description="Where the bad value is, e.g. [query, limit].")
    detail: str
    type: str


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str = Field(description="A URN naming the kind of problem.")
    title: str
    status: int
    detail: str | None = None
    instance: str | None = Field(default=None, description="The path that was requested.")
    errors: list[FieldProblem] | None = Field(default=None, description="Per-field problems.")


class DomainError(Exception):
    """Base for errors the service raises on purpose; subclasses fix the status and type."""

    status: int = 400
    kind: str = "bad-request"
    headers: ClassVar[dict[str, str] | None] = None

    def __init__(
        self,
        detail: str,
        errors: list[FieldProblem] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors
        if headers is not None:
            self.headers = headers  # type: ignore[misc]  # per-instance override


class UnauthorizedError(DomainError):
    """A key is missing (no error code) or unusable (invalid_token), per RFC 6750."""

    status = 401
    kind = "unauthorized"
    headers: ClassVar[dict[str, str]] = {
        "WWW-Authenticate": 'Bearer realm="vpr", error="invalid_token"'
    }
    MISSING_KEY_HEADERS: ClassVar[dict[str, str]] = {"WWW-Authenticate": 'Bearer realm="vpr"'}


class ForbiddenError(DomainError):
    status = 403
    kind = "forbidden"


class PreconditionFailedError(DomainError):
    status = 412
    kind = "precondition-failed"


class PreconditionRequiredError(DomainError):
    status = 428
    kind = "precondition-required"


class InvalidRequestError(DomainError):
    """A well-formed request that breaks a rule of the registry (422)."""

    status = 422
    kind = "validation-error"


class NotFoundError(DomainError):
    status = 404
    kind = "not-found"


class ConflictError(DomainError):
    status = 409
    kind = "conflict"


def problem_response(
    request: Request,
    status: int,
    detail: str | None = None,
    *,
    kind: str | None = None,
    errors: list[FieldProblem] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    phrase = HTTPStatus(status).phrase
    problem = Problem(
        type=PROBLEM_TYPE_BASE + (kind or phrase.lower().replace(" ", "-")),
        title=phrase,
        status=status,
        detail=detail,
        instance=request.url.path,
        errors=errors,
    )
    return JSONResponse(
        problem.model_dump(exclude_none=True),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def _field_problems(exc: RequestValidationError) -> list[FieldProblem]:
    return [
        FieldProblem(location=list(err["loc"]), detail=err["msg"], type=err["type"])
        for err in exc.errors()
    ]


async def _on_domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)  # noqa: S101 - registered for DomainError only
    return problem_response(
        request, exc.status, exc.detail, kind=exc.kind, errors=exc.errors, headers=exc.headers
    )


def _allowed_methods(request: Request) -> str:
    """Every method some route serves at this path (Starlette names only the first route's)."""
    routes = [context.route for context in iter_route_contexts(request.app.routes)]
    methods = {
        method
        for route in routes
        if isinstance(route, APIRoute) and route.path_regex.match(request.url.path)
        for method in route.methods or ()
    }
    return ", ".join(sorted(methods))


async def _on_http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)  # noqa: S101
    detail: str | None = exc.detail if isinstance(exc.detail, str) else None
    if detail == HTTPStatus(exc.status_code).phrase:
        detail = None  # Starlette's default detail only repeats the title
    headers = dict(exc.headers) if exc.headers else {}
    if exc.status_code == HTTPStatus.METHOD_NOT_ALLOWED:
        headers["Allow"] = _allowed_methods(request)
    return problem_response(request, exc.status_code, detail, headers=headers or None)


async def _on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)  # noqa: S101
    problems = _field_problems(exc)
    if any(problem.type == "json_invalid" for problem in problems):
        return problem_response(
            request,
            400,
            "The body is not well-formed JSON.",
            kind="malformed-json",
            errors=problems,
        )
    return problem_response(
        request,
        422,
        "The request has invalid values; see errors.",
        kind="validation-error",
        errors=problems,
    )


async def _on_unhandled(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    request_id = current_request_id()
    return problem_response(
        request,
        500,
        f"An internal error occurred; quote request id {request_id} when reporting it.",
        kind="internal-error",
        # This answer leaves from outside the middleware that adds the header to the others.
        headers={REQUEST_ID_HEADER: request_id} if request_id else None,
    )


async def _on_stale_write(request: Request, exc: Exception) -> JSONResponse:
    # Two writers held the same version; the row-version check let only one through.
    return problem_response(
        request,
        412,
        "The resource changed while this request ran: GET it again, then retry.",
        kind="precondition-failed",
    )


async def _on_integrity_error(request: Request, exc: Exception) -> JSONResponse:
    log.info("integrity error on %s: %s", request.url.path, exc.__class__.__name__)
    return problem_response(
        request, 409, "The request conflicts with data already recorded.", kind="conflict"
    )


async def _on_data_error(request: Request, exc: Exception) -> JSONResponse:
    # The database refused a value (out of its column's range, say) that validation let through:
    # still the request's fault, and nothing was written.
    log.warning("database refused a value on %s: %s", request.url.path, exc.__class__.__name__)
    return problem_response(
        request, 422, "A value is outside what the registry can store.", kind="validation-error"
    )


async def _on_database_unavailable(request: Request, exc: Exception) -> JSONResponse:
    # The database is restarting, unreachable or saturated: nothing was written, try again.
    log.warning("database unavailable on %s: %s", request.url.path, exc.__class__.__name__)
    return problem_response(
        request,
        503,
        "The registry's database is briefly unavailable. Retry later; a write retried with "
        "the same Idempotency-Key is applied at most once.",
        kind="unavailable",
        headers={"Retry-After": str(UNAVAILABLE_RETRY_AFTER_S)},
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _on_domain_error)
    app.add_exception_handler(StaleDataError, _on_stale_write)
    app.add_exception_handler(IntegrityError, _on_integrity_error)
    app.add_exception_handler(DataError, _on_data_error)
    for unavailable in (OperationalError, InterfaceError, PoolTimeoutError):
        app.add_exception_handler(unavailable, _on_database_unavailable)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(Exception, _on_unhandled)


def problem_doc(status: int) -> dict[str, Any]:
    """The OpenAPI response object of a problem+json answer."""
    return {
        "description": HTTPStatus(status).phrase,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """Route `responses=` entries that document problem+json answers for the given statuses."""
    return {status: {"model": Problem, **problem_doc(status)} for status in statuses}
