"""`GET /api/v1/companies/{slug}` answered from the company's stored document (the read model
of `app/companies/documents.py`) without entering routing, dependencies or a worker thread:
its key, the change clock and the document are read in one statement on the event loop.

Measured (100,000 companies, cold slugs, wrk -c32): through the route, which reads the same
row, the app's routing and dependency solving cost most of each request; answered here, the
rate is the response cache's order. Anything this layer is not sure of goes to the app, which
answers it as before: a query string (a parameter the route does not take is a 422), a slug
not stored as written (another case, a former name: 308; unknown: 404), a key that is refused
or whose use is to be recorded (a write), an If-None-Match too long to compare, a database
that does not answer. A test compares this layer's answers with the route's, header for
header, anonymous and keyed, 200 and 304.
"""

import re

from starlette.types import ASGIApp, Receive, Scope, Send

from app.access import PUBLIC_SCOPE, representation_scope
from app.companies import documents
from app.core.errors import UnauthorizedError
from app.core.etags import data_version, etag
from app.core.parameters import SLUG_MAX
from app.core.rows import ROWS_STATE
from app.core.security import bearer_token
from app.core.urls import API_PREFIX, page_url
from app.engines.base import RowReader, UnavailableError
from app.http.conditional import (
    REPRESENTATION_STATE,
    Representation,
    cache_headers,
    not_modified_headers,
    tags_too_long,
)
from app.keys.authentication import key_id_of, principal_if_recorded

_COMPANY = re.compile(rf"^{API_PREFIX}/companies/([A-Za-z0-9][A-Za-z0-9-]{{0,{SLUG_MAX - 1}}})$")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


class StoredDocuments:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        match = _COMPANY.match(scope["path"]) if scope["type"] == "http" else None
        if match is None or scope["method"] != "GET" or scope["query_string"]:
            await self.app(scope, receive, send)
            return
        rows: RowReader = getattr(scope["app"].state, ROWS_STATE)
        try:
            answered = await self._answer(scope, send, rows, match[1])
        except UnavailableError:
            answered = False  # the app says so, as a 503 problem
        if not answered:
            await self.app(scope, receive, send)

    async def _answer(self, scope: Scope, send: Send, rows: RowReader, slug: str) -> bool:
        if_none_match = _header(scope, b"if-none-match")
        if tags_too_long(if_none_match):
            return False
        caller = _caller(scope)
        if caller is None:
            return False
        token, key_id = caller
        # The caller's scope decides which clock; an unknown or refused key goes to the app.
        found = await documents.look_up(rows, slug, public=token is None, key_id=key_id)
        if token is None:
            data_scope = PUBLIC_SCOPE
        else:
            principal = principal_if_recorded(token, found.key)
            if principal is None:
                return False
            data_scope = representation_scope(principal)
            if data_scope == PUBLIC_SCOPE:  # a key that sees what everyone sees (an NGO's)
                found = await documents.look_up(rows, slug, public=True, key_id=None)
        version = data_version(data_scope, found.clock)
        not_modified = not_modified_headers(if_none_match, data_scope, version)
        if not_modified is not None:
            await _send(send, 304, not_modified, b"")
            return True
        stored = found.stored
        if stored is None:
            return False
        state = scope.setdefault("state", {})
        state[REPRESENTATION_STATE] = Representation(data_scope, version)  # the cache keeps it
        headers = cache_headers(data_scope, etag(stored.version, version))
        page = page_url(scope["path"]) if data_scope == PUBLIC_SCOPE else None
        if page is not None:
            headers["Link"] = f'<{page}>; rel="alternate"; type="text/html"'
        headers |= {"Content-Type": "application/json", "Content-Length": str(len(stored.body))}
        await _send(send, 200, headers, stored.body)
        return True


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


async def _send(send: Send, status: int, headers: dict[str, str], body: bytes) -> None:
    encoded = [(name.lower().encode(), value.encode()) for name, value in headers.items()]
    await send({"type": "http.response.start", "status": status, "headers": encoded})
    await send({"type": "http.response.body", "body": body})
