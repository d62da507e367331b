"""The registry's errors and their problem+json form (RFC 9457); `app/http/error_handlers.py`
turns every exception into one."""

from http import HTTPStatus
from typing import Any, ClassVar

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "urn:vpr:problem:"


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


class MovedError(DomainError):
    """The resource lives at another URL now (308, `Location` relative to the host)."""

    status = 308
    kind = "moved"

    def __init__(self, detail: str, location: str) -> None:
        super().__init__(detail, headers={"Location": location})


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


def problem_doc(status: int) -> dict[str, Any]:
    """The OpenAPI response object of a problem+json answer."""
    return {
        "description": HTTPStatus(status).phrase,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """Route `responses=` entries that document problem+json answers for the given statuses."""
    return {status: {"model": Problem, **problem_doc(status)} for status in statuses}
