"""The reads dashboards and government keys make most, answered from the read models without
entering routing, dependencies or a worker thread (`app/http/stored_answers.py` says which):
`GET /api/v1/companies/{slug}` from the company's stored document, the company list's commonest
pages (no filter or a status; by name or endorsement) from the status index and the companies'
stored items, the update list's (no filter) from the updates' stored documents for the caller's
audience. The caller's key, the change clock and what the answer needs first are read in one
statement on the event loop.

Measured (100,000 companies, cold URLs, wrk -c32): through the routes, which read the same
rows, the app's routing and dependency solving cost most of each request. Anything this layer
is not sure of goes to the app, which answers it as before: a query string it does not take
(another filter or sort, a parameter written otherwise than the API writes it, a malformed or
foreign cursor: the route's 422), a slug not stored as written (another case, a former name:
308; unknown: 404), a key that is refused or whose use is to be recorded (a write), a company's
key on the update list (it also sees its drafts), an If-None-Match too long to compare, a
database that does not answer. Tests compare this layer's answers with the routes', header for
header, anonymous and keyed, 200 and 304.
"""

from starlette.types import ASGIApp, Receive, Scope, Send

from app.access import PUBLIC_SCOPE, representation_scope
from app.core.errors import UnauthorizedError
from app.core.etags import data_version
from app.core.rows import ROWS_STATE
from app.core.security import bearer_token
from app.core.urls import page_url
from app.engines.base import RowReader, UnavailableError
from app.http import stored_answers
from app.http.answers import Wanted
from app.http.conditional import (
    REPRESENTATION_STATE,
    Representation,
    cache_headers,
    not_modified_headers,
    tags_too_long,
)
from app.http.context import ROUTE_STATE
from app.keys.authentication import key_id_of, principal_if_recorded


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


_Made = tuple[int, dict[str, str], bytes]  # status, headers, body


class StoredDocuments:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        wanted = stored_answers.wanted(scope)
        if wanted is None:
            await self.app(scope, receive, send)
            return
        scope.setdefault("state", {})[ROUTE_STATE] = wanted.route  # for the metrics
        rows: RowReader = getattr(scope["app"].state, ROWS_STATE)
        try:
            async with rows.held():  # one connection for the answer's reads, not for sending it
                made = await self._answer(scope, rows, wanted)
        except UnavailableError:
            made = None  # the app says so, as a 503 problem
        if made is None:
            await self.app(scope, receive, send)
            return
        status, headers, body = made
        encoded = [(name.lower().encode(), value.encode()) for name, value in headers.items()]
        await send({"type": "http.response.start", "status": status, "headers": encoded})
        await send({"type": "http.response.body", "body": body})

    async def _answer(self, scope: Scope, rows: RowReader, wanted: Wanted) -> _Made | None:
        """The status, headers and body to send, or None for the app to answer."""
        if_none_match = _header(scope, b"if-none-match")
        if tags_too_long(if_none_match):
            return None
        caller = _caller(scope)
        if caller is None:
            return None
        token, key_id = caller
        # The caller's scope decides which clock; an unknown or refused key goes to the app.
        moment = await wanted.read(rows, public=token is None, key_id=key_id)
        restricted = False  # what governments and administrators see beyond the public
        if token is None:
            data_scope = PUBLIC_SCOPE
        else:
            principal = principal_if_recorded(token, moment.key)
            if principal is None or not wanted.serves(principal):
                return None
            data_scope = representation_scope(principal)
            restricted = principal.sees_restricted
            if data_scope == PUBLIC_SCOPE:  # a key that sees what everyone sees (an NGO's)
                moment = await wanted.read(rows, public=True, key_id=None)
        version = data_version(data_scope, moment.clock)
        not_modified = not_modified_headers(if_none_match, data_scope, version)
        if not_modified is not None:
            return 304, not_modified, b""
        answer = await wanted.answer(rows, moment, version, restricted=restricted)
        if answer is None:
            return None
        state = scope.setdefault("state", {})
        state[REPRESENTATION_STATE] = Representation(data_scope, version)  # the cache keeps it
        headers = cache_headers(data_scope, answer.tag)
        query = scope["query_string"].decode("latin-1")
        page = page_url(scope["path"] + (f"?{query}" if query else ""))
        links = (
            [f'<{page}>; rel="alternate"; type="text/html"']
            if page and data_scope == PUBLIC_SCOPE
            else []
        )
        if links or answer.links:
            headers["Link"] = ", ".join(links + answer.links)
        headers |= {
            **answer.headers,
            "Content-Type": answer.content_type,
            "Content-Length": str(len(answer.body)),
        }
        return 200, headers, answer.body


def _caller(scope: Scope) -> tuple[str | None, str | None] | None:
    """The key sent and the id it names ((None, None) without one); None when the header is
    not a well-formed key (the app's 401)."""
    authorization = _header(scope, b"authorization")
    if authorization is None:
        return None, None
    token = bearer_token(authorization)
    try:
        return None if token is None else (token, key_id_of(token))
    except UnauthorizedError:
        return None
