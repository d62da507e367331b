"""Bounded pages whose responses say how to fetch the next one: by offset for lists, by cursor
for records in commit order (the change feed, the audit trail)."""

from collections.abc import Callable, Sequence
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query, Request
from pydantic import BaseModel, Field

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
MAX_OFFSET = 1_000_000


class PageParams(BaseModel):
    limit: int
    offset: int


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


ItemT = TypeVar("ItemT")


class Page(BaseModel, Generic[ItemT]):
    items: list[ItemT]
    total: int = Field(description="Items matching the filters, on all pages.")
    limit: int
    offset: int
    next: str | None = Field(description="Path and query of the next page; null on the last.")
    prev: str | None = Field(description="Path and query of the previous page; null on the first.")


def page_fields(request: Request, page: PageParams, items: list[Any], total: int) -> dict[str, Any]:
    """The fields of a Page: items plus the links to its neighbours."""

    def at(offset: int) -> str:
        # Relative to the host, so links stay right behind any proxy.
        url = request.url.include_query_params(limit=page.limit, offset=offset)
        return f"{url.path}?{url.query}"

    next_offset = page.offset + page.limit
    return {
        "items": items,
        "total": total,
        "limit": page.limit,
        "offset": page.offset,
        "next": at(next_offset) if next_offset < total else None,
        "prev": at(max(page.offset - page.limit, 0)) if page.offset > 0 else None,
    }


class CursorPage(BaseModel, Generic[ItemT]):
    """A page of records numbered in commit order: follow `next` until `more` is false."""

    items: list[ItemT]
    cursor: int = Field(description="The `since` for the next request.")
    more: bool = Field(description="True when more records are waiting: ask again at once.")
    next: str


def cursor_fields(
    found: Sequence[Any],
    limit: int,
    since: int,
    item: Callable[[Any], Any],
    link: Callable[[int], str],
) -> dict[str, Any]:
    """The fields of a CursorPage from up to `limit` + 1 records with a `seq`."""
    records = found[:limit]
    cursor = records[-1].seq if records else since
    return {
        "items": [item(record) for record in records],
        "cursor": cursor,
        "more": len(found) > limit,
        "next": link(cursor),
    }
