"""The company list's commonest pages are answered before routing (`app/companies/listing.py`
through `app/http/stored_documents.py`): the same answer, byte for byte and header for header,
as the route gives from the ORM, on every sort, status and position, and nothing else."""

import json
from datetime import date
from itertools import product
from urllib.parse import quote

import pytest
from sqlmodel import col, select

from app.changes import clock
from app.companies import listing
from app.companies.models import Company
from app.core.pagination import Cursor
from app.endorsements import status as company_status
from tests import factories
from tests.conftest import auth
from tests.layers import exchange, found_then_kept, hops_of

LIST = "/api/v1/companies"


@pytest.fixture
def history(session) -> None:
    """Statuses beside `endorsed` (and companies with no endorsement, sorted last by date)."""
    companies = session.exec(select(Company).order_by(col(Company.id))).all()
    factories.event(session, companies[0], "withdrawn", date(2025, 6, 1))
    for number in range(6):  # more than a page: cursors land inside the NULLs
        factories.company(session, f"never-endorsed-{number}")


SORTS = ("name", "-name", "endorsed_on", "-endorsed_on")


@pytest.mark.usefixtures("history")
@pytest.mark.parametrize("status", [None, "endorsed", "not_endorsed"])
def test_every_page_by_cursor_is_the_routes(client, through_the_route, keys, answered, status):
    """Follow `next` to the end on every sort (cursors inside the trailing NULLs of the date
    sort included), anonymous and with a government key."""
    queries = [f"sort={sort}&limit=6" + (f"&status={status}" if status else "") for sort in SORTS]
    for query, headers in product(queries, ({}, auth(keys["government"]))):
        through_the_route.get("/api/v1/whoami", headers=headers)  # its use recorded: no write
        url: str | None = f"{LIST}?{query}"
        pages = 0
        while url is not None:
            served = exchange(client, url, headers)
            assert served == exchange(through_the_route, url, headers), url
            assert served[0] == 200
            previous = served[1]["link"]
            url = json.loads(served[2])["next"]  # the answer just compared
            pages += 1
        assert pages >= 1
        assert previous is None or 'rel="next"' not in previous
    assert answered
    assert all(answered)


OFFSET_PAGES = [
    "",
    "limit=1",
    "limit=200",
    "offset=3",
    "status=endorsed&limit=2&offset=1",
    "limit=2&offset=5&sort=-endorsed_on",
    "status=withdrawn",
    "status=lapsed",
    "offset=1000000",
]


@pytest.mark.usefixtures("history")
def test_offset_pages_are_the_routes(client, through_the_route, keys, answered):
    roles = (None, keys["government"], keys["company"], keys["ngo"])
    for query, key in product(OFFSET_PAGES, roles):
        url = f"{LIST}?{query}" if query else LIST
        headers = {} if key is None else auth(key)
        through_the_route.get("/api/v1/whoami", headers=headers)  # its use recorded: no write
        served = exchange(client, url, headers)
        assert served == exchange(through_the_route, url, headers), url
        again = headers | {"If-None-Match": served[1]["etag"]}
        revalidated = exchange(client, url, again)[:2]
        assert revalidated == exchange(through_the_route, url, again)[:2], url
        assert revalidated[0] == 304
    assert answered
    assert all(answered)


def _cursor_of(client, query: str) -> str:
    following: str = client.get(f"{LIST}?{query}").json()["next"]
    return following.split("after=")[1]


NOT_TAKEN = [
    "limit=050",  # not as the API writes it: the route reads it
    "limit=0",
    "limit=201",
    "offset=1000001",
    "offset=-1",
    "status=Endorsed",
    "status=endorsed&status=withdrawn",
    "sort=country",
    "country=US",
    "q=meta",
    "sector=social_media",
    "fields=name",
    "api_key=abc",
    "limit=%35",
    "after=not-a-cursor",
    "after=",
]


def test_what_the_layer_does_not_take_is_the_routes(client, through_the_route, answered):
    for query in NOT_TAKEN:
        url = f"{LIST}?{query}"
        assert exchange(client, url, {}) == exchange(through_the_route, url, {}), url
    assert answered == []  # every one went to the route


def test_a_cursor_of_another_sort_or_with_an_offset_is_the_routes_422(
    client, through_the_route, answered
):
    cursor = _cursor_of(client, "limit=2&sort=name")
    answered.clear()
    for query in (f"sort=-name&after={cursor}", f"status=endorsed&after={cursor}",
                  f"after={cursor}&offset=2", f"after={quote(cursor)}x"):  # fmt: skip
        url = f"{LIST}?{query}"
        served = exchange(client, url, {})
        assert served == exchange(through_the_route, url, {})
        assert served[0] == 422
    assert answered == []


def test_a_date_cursor_that_is_not_a_date_is_the_routes_422(client, through_the_route, answered):
    """A cursor of the date sort whose value has the wrong shape: made here, as a client could."""
    cursor = _cursor_of(client, "limit=2&sort=endorsed_on")
    decoded = Cursor.decode(cursor)
    forged = Cursor(decoded.offset, decoded.order, ["not a date", decoded.key[1]]).encode()
    answered.clear()
    url = f"{LIST}?sort=endorsed_on&after={forged}"
    served = exchange(client, url, {})
    assert served == exchange(through_the_route, url, {})
    assert served[0] == 422
    assert answered == []


@pytest.mark.usefixtures("history")
def test_deep_offsets_start_from_kept_positions_and_follow_the_order(
    client, through_the_route, session, answered, monkeypatch
):
    """Every offset on every sort and status, with a position kept every second row
    (`app/core/anchors.py`), is the route's page; after a company moves in the order (renamed
    to sort first, a new endorsement, a new company), the positions are found again and every
    page is still the route's; while the order stands they are not looked for again."""
    hops = hops_of(monkeypatch, listing._Order)
    total = client.get(f"{LIST}?limit=1").json()["total"]
    urls = [
        f"{LIST}?limit=3&offset={offset}&sort={sort}" + (f"&status={status}" if status else "")
        for sort, status in product(SORTS, (None, "not_endorsed"))
        for offset in range(total + 2)
    ]

    def compare() -> None:
        for url in urls:
            assert exchange(client, url, {}) == exchange(through_the_route, url, {}), url

    found_then_kept(client, urls, hops, compare)
    companies = session.exec(select(Company).order_by(col(Company.id))).all()
    companies[-1].name = "Aaa first by name"
    session.add(companies[-1])
    session.flush()
    company_status.refresh(session, companies[-1].id or 0)
    factories.render_marked(session)
    clock.advance(session)
    factories.event(session, companies[1], "withdrawn", date(2025, 7, 1))
    factories.company(session, "a-new-company")
    compare()
    assert hops  # found again in the moved order
    assert answered
    assert all(answered)
