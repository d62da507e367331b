"""A company's page and the companies table are answered before routing (`app/pages/stored.py`):
the same page, byte for byte and header for header, as the page routes give, 200 and 304, after
submissions and amendments, on every sort, status and position; a request with a key, a slug
not stored as written and a query the layer does not take go to the app."""

import re
from html import unescape
from itertools import product
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.http import stored_answers
from app.http.context import RouteNames
from tests.conftest import auth
from tests.layers import exchange
from tests.test_pages import _published

SLUGS = ("meta", "google", "microsoft")


def _compared(
    client: TestClient, through_the_route: TestClient, url: str, headers: dict[str, str]
) -> tuple[Any, ...]:
    served = exchange(client, url, headers)
    assert served == exchange(through_the_route, url, headers), url
    again = headers | {"If-None-Match": served[1]["etag"] or "none"}
    revalidated = exchange(client, url, again)[:2]
    assert revalidated == exchange(through_the_route, url, again)[:2], url
    return served


def test_company_pages_are_the_routes(client, through_the_route, keys, answered):
    """Before any update, after one, and after its amendment (both revisions listed, the first
    naming the second), each company's page equals the route's."""
    company = auth(keys["company"])
    for step in ("before", "published", "amended"):
        if step == "published":
            original = _published(client, keys)
        if step == "amended":
            amendment = client.post(f"{original['url']}/amend", headers=company).json()
            tag = client.get(amendment["url"], headers=company).headers["etag"]
            submitted = client.post(
                f"{amendment['url']}/submit", headers=company | {"If-Match": tag}
            )
            assert submitted.status_code == 200
        answered.clear()
        for slug in SLUGS:
            served = _compared(client, through_the_route, f"/companies/{slug}", {})
            assert served[0] == 200
            assert served[1]["content-type"] == "text/html; charset=utf-8"
        assert answered == [True] * 2 * len(SLUGS)  # each page and its 304
    page = client.get("/companies/meta").text
    assert f'href="/updates/{original["id"]}"' in page
    assert f'href="/updates/{amendment["id"]}"' in page  # the revision, and the link to it


@pytest.mark.parametrize(
    ("path", "status"),
    [("/companies/Meta", 308), ("/companies/facebook", 308), ("/companies/no-such", 404)],
)
def test_a_slug_not_stored_as_written_is_the_apps(
    client, through_the_route, answered, path, status
):
    served = _unfollowed(client, path)
    assert served == _unfollowed(through_the_route, path)
    assert served[0] == status
    assert answered == [False]


def _unfollowed(app: TestClient, url: str) -> tuple[Any, ...]:
    """A redirect as it is sent, not followed (where it leads, the layer may answer)."""
    answer = app.get(url, follow_redirects=False)
    headers = ("location", "content-type", "etag")
    return answer.status_code, [answer.headers.get(name) for name in headers], answer.content


def test_a_page_asked_with_a_key_is_the_apps(client, through_the_route, keys, answered):
    """Pages show the anonymous view to everyone; the layer leaves keys to the app."""
    for key, path in product(keys.values(), ("/companies/meta", "/companies?status=endorsed")):
        served = exchange(client, path, auth(key))
        assert served == exchange(through_the_route, path, auth(key))
        assert served[0] == 200
    assert not any(answered)


TABLES = [
    "",
    "limit=1",
    "limit=200",
    "offset=2",
    "status=endorsed&limit=2&offset=1",
    "sort=-endorsed_on&limit=3",
    "sort=-name&limit=2",
    "status=withdrawn",
    "offset=1000000",
]


def test_company_tables_are_the_routes(client, through_the_route, answered):
    """Every page given, then its next and previous pages by the links it shows."""
    for query in TABLES:
        url: str | None = f"/companies?{query}" if query else "/companies"
        for _ in range(4):  # the page, then up to three pages on by its `next` link
            assert url is not None
            served = _compared(client, through_the_route, url, {})
            assert served[0] == 200
            found = re.search(r'<a href="([^"]+)" rel="next">', served[2].decode())
            if found is None:
                break
            url = unescape(found[1])
    assert answered
    assert all(answered)


NOT_TAKEN = ["status=", "q=meta", "country=US", "sort=country", "limit=050", "after=nonsense"]


def test_what_the_layer_does_not_take_is_the_routes(client, through_the_route, answered):
    for url in [f"/companies?{query}" for query in NOT_TAKEN] + ["/companies/meta?x=1"]:
        assert _unfollowed(client, url) == _unfollowed(through_the_route, url), url
    assert answered == []


EXAMPLES = [
    "/api/v1/companies/meta",
    "/api/v1/companies?limit=2",
    "/api/v1/updates?limit=2",
    "/api/v1/stats/coverage",
    "/api/v1/stats/adoption",
    "/companies/meta",
    "/companies?limit=2",
]


@pytest.mark.parametrize("url", EXAMPLES)
def test_each_answer_made_before_routing_names_its_routes_template(client: TestClient, url):
    """The metrics' route label: what the layer names is what matching the routes gives."""
    path, _, query = url.partition("?")
    scope = {"type": "http", "method": "GET", "path": path, "query_string": query.encode(),
             "headers": []}  # fmt: skip
    kind = stored_answers.wanted(scope)
    assert kind is not None
    routes = client.app.routes  # type: ignore[attr-defined]
    assert kind.route == RouteNames(routes).template_of(path)
