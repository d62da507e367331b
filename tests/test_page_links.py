"""A page's links (`page_links`) are written as Starlette's URL would write them (dropping the
position, then setting limit and the new position), whatever else the query holds."""

from typing import Any

import pytest
from starlette.datastructures import URL

from app.core.links import RequestTarget, page_links
from app.core.pagination import Cursor, PageParams


def starlette_link(url: URL, limit: int, **position: Any) -> str:
    shown = url.remove_query_params(["offset", "after"]).include_query_params(
        limit=limit, **position
    )
    return f"{shown.path}?{shown.query}"


QUERIES = [
    "",
    "limit=5",
    "status=endorsed&limit=5&offset=10",
    "offset=10&sort=-name&limit=5",
    "q=caf%C3%A9+%26+co&limit=5",
    "sector=a&sector=b&offset=5",
    "blank=&limit=5&after=abc",
    "limit=5&limit=7",
    "a=b=c&limit=5",  # plain, but urlencode escapes the second =
    "name&sort=name",  # a name alone: written with =
    "=v&x.y~z-_=1&&offset=3",  # an empty name, safe marks, an empty pair
    "q=a+b&sort=-name",
    "q=caf\u00e9&x=%7E",
]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("offset", [0, 5, 10])
@pytest.mark.parametrize("keyset", [False, True])
def test_links_are_starlettes(query: str, offset: int, keyset: bool) -> None:
    url = URL(f"http://testserver/api/v1/companies?{query}" if query else "http://testserver/x")
    page = PageParams(limit=5, offset=offset, after=None)
    following = Cursor(offset + 5, "order", ["value", 7]) if keyset else None
    next_link, prev_link = page_links(url, page, 100, following)
    position = {"after": following.encode()} if following else {"offset": offset + 5}
    assert next_link == starlette_link(url, 5, **position)
    assert prev_link == (starlette_link(url, 5, offset=offset - 5) if offset else None)
    # The layer before routing: the same links from the request's path and query alone.
    scope = {"path": url.path, "query_string": url.query.encode()}
    assert page_links(RequestTarget.of(scope), page, 100, following) == (next_link, prev_link)


def test_no_next_link_past_the_total() -> None:
    url = URL("http://testserver/api/v1/updates?limit=5&offset=95")
    assert page_links(url, PageParams(limit=5, offset=95, after=None), 100, None) == (
        None,
        "/api/v1/updates?limit=5&offset=90",
    )
