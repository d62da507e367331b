"""Bounded pages whose responses say how to fetch the next one: by offset, by keyset (`after`,
for lists read in an indexed order: a deep page costs what the first does), and by sequence for
records in commit order (the change feed, the audit trail)."""

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query, Request, Response
from pydantic import BaseModel, Field

from app.core.errors import FieldProblem, InvalidRequestError
from app.core.links import page_links

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
MAX_OFFSET = 1_000_000
MAX_RECORDS_PAGE = 1000  # the change feed and the audit trail: records are small


@dataclass(frozen=True)
class Cursor:
    """Where a keyset page starts: after the item whose sort key is `key` (its id last), which
    was item number `offset` - 1 of the list sorted and filtered as `order` names."""

    offset: int
    order: str
    key: list[Any]

    def encode(self) -> str:
        text = json.dumps([self.offset, self.order, self.key], separators=(",", ":"))
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str) -> "Cursor":
        try:
            text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
            offset, order, key = json.loads(text)
        except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
            raise _bad_cursor("it is not a cursor this API made") from None
        if not (_whole(offset, MAX_OFFSET) and isinstance(order, str) and len(order) <= 64):  # noqa: PLR2004
            raise _bad_cursor("it is not a cursor this API made")
        # A sort key is text (or a date written as text) or null, then a row id.
        if not (isinstance(key, list) and len(key) == 2):  # noqa: PLR2004
            raise _bad_cursor("it is not a cursor this API made")
        value, row_id = key
        if not ((value is None or _storable(value)) and _whole(row_id, 2**31 - 1)):
            raise _bad_cursor("it is not a cursor this API made")
        return cls(offset, order, key)


def _storable(value: Any) -> bool:
    """Text a database can compare: UTF-8 (no lone surrogate, which JSON's \\u escapes allow)
    and no NUL (PostgreSQL's text has none)."""
    if not isinstance(value, str) or "\x00" in value:
        return False
    try:
        value.encode()
    except UnicodeEncodeError:
        return False
    return True


def cursor_order(*parts: Any) -> str:
    """What a cursor is valid for (a sort over a set of filters), as a short digest."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def keyset_position(page: "PageParams", order: str) -> list[Any] | None:
    """The sort key the page starts after (None for a first or offset page); a cursor made for
    another sort or filter is refused rather than read as this one."""
    if page.after is None:
        return None
    if page.after.order != order:
        raise InvalidRequestError("This cursor belongs to another sort or filter; follow `next`.")
    return page.after.key


def next_cursor(page: "PageParams", order: str, last: tuple[Any, int] | None) -> "Cursor | None":
    """Where the page after this one starts: after its last row's (sort value, id)."""
    if last is None:
        return None
    value, last_id = last
    shown = value.isoformat() if isinstance(value, date) else value
    return Cursor(page.offset + page.limit, order, [shown, last_id])


def cursor_date(value: Any) -> date:
    """A date a cursor carries (as YYYY-MM-DD)."""
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise _bad_cursor("it is not a cursor of this list") from None


def _whole(value: Any, most: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= most


def _bad_cursor(why: str) -> InvalidRequestError:
    problem = FieldProblem(location=["query", "after"], detail=why, type="cursor")
    return InvalidRequestError(f"`after` cannot be used: {why}; follow `next`.", [problem])


class PageParams(BaseModel):
    limit: int
    offset: int
    after: Cursor | None = None


def page_params(
    limit: Annotated[
        int,
        Query(
            title="Page size",
            description=f"Items per page, 1 to {MAX_PAGE_SIZE}.",
            ge=1,
            le=MAX_PAGE_SIZE,
        ),
    ] = DEFAULT_PAGE_SIZE,
    offset: Annotated[
        int,
        Query(
            title="Offset",
            description="Items to skip; follow `next` rather than computing it.",
            ge=0,
            le=MAX_OFFSET,
        ),
    ] = 0,
) -> PageParams:
    return PageParams(limit=limit, offset=offset)


OffsetPage = Annotated[PageParams, Depends(page_params)]


def keyset_page_params(
    page: Annotated[PageParams, Depends(page_params)],
    after: Annotated[
        str | None,
        Query(
            title="After",
            description="The cursor in the previous page's `next`: the page after it, as fast "
            "however deep. Not together with `offset`.",
            min_length=1,
            max_length=600,
            pattern=r"^[A-Za-z0-9_-]+$",
        ),
    ] = None,
) -> PageParams:
    if after is None:
        return page
    if page.offset:
        raise InvalidRequestError("Send either `after` (from `next`) or `offset`, not both.")
    cursor = Cursor.decode(after)
    return PageParams(limit=page.limit, offset=cursor.offset, after=cursor)


ItemT = TypeVar("ItemT")


class Page(BaseModel, Generic[ItemT]):
    items: list[ItemT] = Field(max_length=MAX_PAGE_SIZE)
    total: int = Field(description="Items matching the filters, on all pages.")
    limit: int
    offset: int
    next: str | None = Field(description="Path and query of the next page; null on the last.")
    prev: str | None = Field(description="Path and query of the previous page; null on the first.")


def link_header(response: Response, **targets: str | None) -> None:
    """RFC 8288 `Link` beside the body's links, for clients that page by headers."""
    links = [f'<{target}>; rel="{rel}"' for rel, target in targets.items() if target]
    if links:  # beside a link the response already has (its web page)
        response.headers["Link"] = ", ".join(filter(None, [response.headers.get("Link"), *links]))


def page_fields(
    request: Request,
    response: Response,
    page: PageParams,
    items: list[Any],
    total: int,
    following: Cursor | None = None,
) -> dict[str, Any]:
    """The fields of a Page: items plus the links to its neighbours (`next` by keyset when the
    list gives the cursor of the page `following` this one)."""
    following_page, previous_page = page_links(request.url, page, total, following)
    link_header(response, next=following_page, prev=previous_page)
    return {
        "items": items,
        "total": total,
        "limit": page.limit,
        "offset": page.offset,
        "next": following_page,
        "prev": previous_page,
    }


def with_items(page_json: bytes, items: list[bytes]) -> bytes:
    """A Page's JSON made with no items, given the items already serialized (stored
    documents): the same bytes as serializing the page with them, spliced in, not parsed."""
    empty = b'{"items":[]'
    if not page_json.startswith(empty):
        raise ValueError("not a Page's JSON with empty items")
    return b'{"items":[' + b",".join(items) + b"]" + page_json[len(empty) :]


def listed_page(
    request: Request, response: Response, page: PageParams, rows: Sequence[Any]
) -> dict[str, Any]:
    """A Page of a list read whole (short lists: a company's history, a thread, the cycles)."""
    return page_fields(
        request, response, page, list(rows[page.offset : page.offset + page.limit]), len(rows)
    )


class CursorPage(BaseModel, Generic[ItemT]):
    """A page of records numbered in commit order: follow `next` until `more` is false."""

    items: list[ItemT] = Field(max_length=MAX_RECORDS_PAGE)
    cursor: int = Field(description="The `since` for the next request.")
    more: bool = Field(description="True when more records are waiting: ask again at once.")
    next: str


def cursor_fields(
    response: Response,
    found: Sequence[Any],
    limit: int,
    since: int,
    item: Callable[[Any], Any],
    link: Callable[[int], str],
) -> dict[str, Any]:
    """The fields of a CursorPage from up to `limit` + 1 records with a `seq`."""
    records = found[:limit]
    cursor = records[-1].seq if records else since
    link_header(response, next=link(cursor))
    return {
        "items": [item(record) for record in records],
        "cursor": cursor,
        "more": len(found) > limit,
        "next": link(cursor),
    }


# A page's parameters as the API writes them in its links (`canonical_query`).
PAGE_VALUES = {
    "limit": re.compile(r"[1-9][0-9]{0,2}"),
    "offset": re.compile(r"0|[1-9][0-9]{0,6}"),
    "after": re.compile(r"[A-Za-z0-9_-]{1,600}"),
}


def canonical_query(
    query_string: bytes, values: dict[str, re.Pattern[str]]
) -> tuple[dict[str, str], PageParams] | None:
    """The parameters of a list request and its page (without the cursor), when each name is
    one of `values` (page parameters included), given once, written as the API writes it, and
    the page is within bounds; else None. For answers made before routing
    (`app/http/stored_answers.py`): anything else is left to the route, which says what is
    wrong with it."""
    given: dict[str, str] = {}
    for part in query_string.decode("latin-1").split("&") if query_string else []:
        name, _, value = part.partition("=")
        pattern = values.get(name) or PAGE_VALUES.get(name)
        if pattern is None or name in given or not pattern.fullmatch(value):
            return None
        given[name] = value
    limit = int(given.get("limit", DEFAULT_PAGE_SIZE))
    offset = int(given.get("offset", "0"))
    if limit > MAX_PAGE_SIZE or offset > MAX_OFFSET or ("after" in given and "offset" in given):
        return None
    return given, PageParams(limit=limit, offset=offset)
