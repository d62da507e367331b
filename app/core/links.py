"""The links from a page of a list to its neighbours, written as Starlette's URL would write
them, from the request's path and query alone where the layer before routing answers."""

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol
from urllib.parse import parse_qsl, urlencode

from starlette.types import Scope

if TYPE_CHECKING:
    from app.core.pagination import Cursor, PageParams

_PLACES = ("offset", "after", "limit")  # what a link to another page writes anew
# A query with nothing to decode and nothing urlencode would escape: its pairs are as written.
_PLAIN_QUERY = re.compile(r"[A-Za-z0-9_.~=&-]*")


class Located(Protocol):
    """Where a list was asked: a Starlette URL, or a RequestTarget."""

    @property
    def path(self) -> str: ...

    @property
    def query(self) -> str: ...


@dataclass(frozen=True)
class RequestTarget:
    """A request's path and query as the server received them, where a Starlette URL would
    build the whole URL and parse it again (the layer before routing asks only these two)."""

    path: str
    query: str

    @classmethod
    def of(cls, scope: Scope) -> "RequestTarget":
        return cls(scope["path"], scope["query_string"].decode())  # as URL(scope=...) decodes


def _kept_pairs(query: str) -> str:
    """The query's pairs but the position's, each written as urlencode writes it, each
    followed by `&`."""
    if _PLAIN_QUERY.fullmatch(query):
        pairs = [part.partition("=") for part in query.split("&") if part]
        if all("=" not in value for _, _, value in pairs):  # urlencode would escape a second =
            return "".join(f"{name}={value}&" for name, _, value in pairs if name not in _PLACES)
    kept = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k not in _PLACES]
    return f"{urlencode(kept)}&" if kept else ""


def page_links(
    url: Located, page: "PageParams", total: int, following: "Cursor | None"
) -> tuple[str | None, str | None]:
    """The next and previous pages of the list at `url`, as paths with their queries."""

    # As Starlette's remove_query_params then include_query_params would write them (the
    # other parameters in their order, then limit and the position), in one pass over the
    # query: URL's round trips were a seventh of a listed page's time. An offset and a cursor
    # (URL-safe base64) are written as they are.
    start = f"{url.path}?{_kept_pairs(url.query)}limit={page.limit}&"
    next_offset = page.offset + page.limit
    after = f"after={following.encode()}" if following else f"offset={next_offset}"
    following_page = start + after if next_offset < total else None
    previous_page = f"{start}offset={max(page.offset - page.limit, 0)}" if page.offset > 0 else None
    return following_page, previous_page
