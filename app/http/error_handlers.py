"""How the app answers every exception: as application/problem+json (RFC 9457), never a bare 500."""

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute, iter_route_contexts
from sqlalchemy.exc import DataError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.errors import DomainError, FieldProblem, problem_response
from app.core.logs import REQUEST_ID_HEADER, current_request_id
from app.core.schemas import PATTERNS_IN_WORDS
from app.engines.base import UnavailableError

UNAVAILABLE_RETRY_AFTER_S = 5

log = logging.getLogger(__name__)


def _in_words(err: Any) -> str:
    """A pattern mismatch says what the value must be, not the regular expression."""
    pattern = (err.get("ctx") or {}).get("pattern")
    if err["type"] == "string_pattern_mismatch" and pattern in PATTERNS_IN_WORDS:
        return f"must be {PATTERNS_IN_WORDS[pattern]}"
    return str(err["msg"])


# A large invalid batch once produced a 22 MB 422 from a 784 KB body: the answer lists the
# first problems, each said briefly, and says how many there were.
MAX_LISTED_ERRORS = 50
MAX_DETAIL_CHARS = 300


def _field_problems(exc: RequestValidationError) -> tuple[list[FieldProblem], int]:
    """The first MAX_LISTED_ERRORS problems, and how many there were in all."""
    errors = exc.errors()
    listed = [
        FieldProblem(
            location=list(err["loc"])[:20],
            detail=_in_words(err)[:MAX_DETAIL_CHARS],
            type=err["type"],
        )
        for err in errors[:MAX_LISTED_ERRORS]
    ]
    return listed, len(errors)


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
    problems, total = _field_problems(exc)
    if any(problem.type == "json_invalid" for problem in problems):
        return problem_response(
            request,
            400,
            "The body is not well-formed JSON.",
            kind="malformed-json",
            errors=problems,
        )
    detail = "The request has invalid values; see errors."
    if total > len(problems):
        detail = f"The request has {total} invalid values; errors lists the first {len(problems)}."
    return problem_response(request, 422, detail, kind="validation-error", errors=problems)


def _unhandled_problem(request: Request, *, outermost: bool) -> JSONResponse:
    request_id = current_request_id()
    return problem_response(
        request,
        500,
        f"An internal error occurred; quote request id {request_id} when reporting it.",
        kind="internal-error",
        # From Starlette's outermost middleware, outside the one that adds the header to others.
        headers={REQUEST_ID_HEADER: request_id} if request_id and outermost else None,
    )


async def _on_unhandled(request: Request, exc: Exception) -> JSONResponse:
    # Starlette calls this for every unhandled exception, also one UnhandledErrors answered:
    # the one place it is logged.
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return _unhandled_problem(request, outermost=True)


class UnhandledErrors:
    """Innermost middleware: an exception no handler took becomes the 500 problem here, inside
    the layers that add the request id, CORS and rate-limit headers (Starlette's own error
    middleware, where `_on_unhandled` runs, is outside all of them). Re-raised once answered,
    so the server still logs it and tests still see it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception:
            if not started:
                await _unhandled_problem(Request(scope), outermost=False)(scope, receive, send)
            raise


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
    # UnavailableError: a read outside the ORM (the key, the clock, a stored document) failed.
    for unavailable in (OperationalError, InterfaceError, PoolTimeoutError, UnavailableError):
        app.add_exception_handler(unavailable, _on_database_unavailable)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(Exception, _on_unhandled)
