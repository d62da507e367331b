"""Conditional GET for the whole API: an ETag on every answer, 304 before any work is done.

The data version is the change clock, the same on every instance over one database and moved by
every commit; public answers follow its public part, which only public changes move. The
response cache reads that once per anonymous request and leaves it in the request's state;
otherwise it is read here through the request's row reader (`app/core/rows.py`).
"""

from dataclasses import dataclass
from typing import TypeVar

from fastapi import Request, Response

from app.access import PUBLIC_SCOPE, representation_scope
from app.changes import clock
from app.core.errors import FieldProblem, InvalidRequestError
from app.core.etags import Versioned, data_version, etag, still_current
from app.core.rows import RowsDep
from app.core.urls import page_url
from app.keys.dependencies import PrincipalDep

T = TypeVar("T")
MAX_TAGS_LENGTH = 1000  # an If-None-Match longer than this is refused, not compared
CLOCK_STATE = "vpr_clock"  # the clock value the middleware read for this request
REPRESENTATION_STATE = "vpr_representation"  # what conditional_get decided the answer is


@dataclass(frozen=True)
class Representation:
    scope: str  # who the answer is made for (see access.representation_scope)
    data_version: str

    @property
    def public(self) -> bool:
        return self.scope == PUBLIC_SCOPE


class NotModifiedError(Exception):
    def __init__(self, headers: dict[str, str]) -> None:
        super().__init__("not modified")
        self.headers = headers


def cache_headers(scope: str, tag: str) -> dict[str, str]:
    visibility = "public" if scope == PUBLIC_SCOPE else "private"
    # no-cache: caches may keep it but must revalidate, which is cheap (a 304).
    return {"ETag": tag, "Cache-Control": f"{visibility}, no-cache", "Vary": "Authorization"}


def not_modified_headers(
    if_none_match: str | None, scope: str, version: str
) -> dict[str, str] | None:
    """The headers of a 304 when the client's tag was made at this data version, else None."""
    held = still_current(if_none_match, version)
    # Nothing changed since that tag was made, so it is still this resource's tag.
    return None if held is None else cache_headers(scope, etag(held))


def tags_too_long(if_none_match: str | None) -> bool:
    return if_none_match is not None and len(if_none_match) > MAX_TAGS_LENGTH


async def conditional_get(
    request: Request, response: Response, rows: RowsDep, principal: PrincipalDep
) -> None:
    """Async, like the key check before it: a GET takes a worker thread only for its route."""
    if request.method not in {"GET", "HEAD"}:
        return
    scope = representation_scope(principal)
    await _answer_conditionally(request, response, rows, scope)
    query = f"?{request.url.query}" if request.url.query else ""
    page = page_url(request.url.path + query) if scope == PUBLIC_SCOPE else None
    if page is not None:  # a person may rather look at it: the page with the same data
        response.headers["Link"] = f'<{page}>; rel="alternate"; type="text/html"'


async def conditional_page(request: Request, response: Response, rows: RowsDep) -> None:
    """The same for the web pages, which show everyone the anonymous view: their version is the
    public one, whatever key a browser might send."""
    await _answer_conditionally(request, response, rows, PUBLIC_SCOPE)


async def _answer_conditionally(
    request: Request, response: Response, rows: RowsDep, scope: str
) -> None:
    if tags_too_long(request.headers.get("if-none-match")):
        where = FieldProblem(
            location=["header", "If-None-Match"],
            detail=f"at most {MAX_TAGS_LENGTH} characters",
            type="string_too_long",
        )
        raise InvalidRequestError("If-None-Match is longer than any tag this API sends.", [where])
    clock_value = getattr(request.state, CLOCK_STATE, None)
    if clock_value is None:
        clock_value = await clock.read_current(rows, public=scope == PUBLIC_SCOPE)
    version = data_version(scope, clock_value)
    setattr(request.state, REPRESENTATION_STATE, Representation(scope, version))
    headers = not_modified_headers(request.headers.get("if-none-match"), scope, version)
    if headers is not None:
        raise NotModifiedError(headers)
    response.headers.update(cache_headers(scope, etag(version)))


def data_version_of(request: Request) -> str:
    """The data version `conditional_get` found for this GET."""
    shown: Representation = getattr(request.state, REPRESENTATION_STATE)
    return shown.data_version


def with_etag(request: Request, response: Response, found: Versioned[T]) -> T:
    """The body, with an ETag of the resource's version (what If-Match compares) plus, on a
    GET, the data version it was read at (what If-None-Match compares)."""
    shown: Representation | None = getattr(request.state, REPRESENTATION_STATE, None)
    response.headers["ETag"] = etag(found.version, shown.data_version if shown else None)
    return found.body


async def not_modified(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, NotModifiedError)  # noqa: S101 - registered for it only
    return Response(status_code=304, headers=exc.headers)
