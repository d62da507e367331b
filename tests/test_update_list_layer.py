"""The update list's unfiltered pages are answered before routing from the updates' stored
documents (`app/updates/listing.py`, `app/updates/documents.py`): the same answer, byte for
byte and header for header, as the route gives from the ORM, for every audience that sees no
drafts; a company's key and anything filtered go to the route."""

import json
from datetime import date
from itertools import product

import pytest
from sqlmodel import select

from app.updates import listing
from app.updates.models import UpdateDocument, UpdateRestrictedDocument
from tests import factories
from tests.conftest import auth
from tests.layers import exchange, found_then_kept, hops_of

LIST = "/api/v1/updates"


@pytest.fixture
def reported(session) -> None:
    """Submitted updates with public and restricted entries, one amended (superseded), periods
    shared (ties broken by id), and a draft nobody but its company sees."""
    meta, snap = (session.exec(factories.select_company(s)).one() for s in ("meta", "snap"))
    for year in (2021, 2022, 2023):
        for company in (meta, snap):
            factories.update(
                session,
                company,
                {"VP-01": ("implemented", "public"), "VP-02": ("planned", "restricted")},
                period=(date(year, 1, 1), date(year, 12, 31)),
            )
    first = factories.update(session, meta, {"VP-03": ("in_progress", "public")})
    factories.update(session, meta, {"VP-03": ("implemented", "public")}, supersedes=first)
    factories.update(session, snap, {"VP-04": ("planned", "public")}, submitted=False)


def _keys(keys: dict[str, str], roles: tuple[str, ...]) -> list[dict[str, str]]:
    return [{} if role == "anonymous" else auth(keys[role]) for role in roles]


@pytest.mark.usefixtures("reported")
def test_every_page_by_cursor_is_the_routes(client, through_the_route, keys, answered):
    for headers in _keys(keys, ("anonymous", "government", "admin", "ngo")):
        through_the_route.get("/api/v1/whoami", headers=headers)  # its use recorded: no write
        url: str | None = f"{LIST}?limit=3"
        pages = 0
        while url is not None:
            served = exchange(client, url, headers)
            assert served == exchange(through_the_route, url, headers), url
            assert served[0] == 200
            url = json.loads(served[2])["next"]  # the answer just compared
            pages += 1
        assert pages >= 3
    assert answered
    assert all(answered)


@pytest.mark.usefixtures("reported")
def test_offset_pages_are_the_routes(client, through_the_route, keys, answered):
    queries = ["", "limit=1", "limit=200", "offset=2", "limit=2&offset=5"]
    for query, headers in product(queries, _keys(keys, ("anonymous", "government", "ngo"))):
        url = f"{LIST}?{query}" if query else LIST
        through_the_route.get("/api/v1/whoami", headers=headers)
        served = exchange(client, url, headers)
        assert served == exchange(through_the_route, url, headers), url
        again = headers | {"If-None-Match": served[1]["etag"]}
        assert exchange(client, url, again)[:2] == exchange(through_the_route, url, again)[:2]
    assert answered
    assert all(answered)


@pytest.mark.usefixtures("reported")
def test_restricted_entries_only_for_those_who_see_them(client, keys):
    everyone = client.get(LIST, params={"limit": 200}).json()["items"]
    government = client.get(LIST, params={"limit": 200}, headers=auth(keys["government"]))
    visible = {e["visibility"] for u in everyone for e in u["entries"]}
    assert visible == {"public"}
    shown = {e["visibility"] for u in government.json()["items"] for e in u["entries"]}
    assert shown == {"public", "restricted"}
    assert len(everyone) == len(government.json()["items"])


@pytest.mark.usefixtures("reported")
def test_what_the_layer_does_not_take_is_the_routes(client, through_the_route, keys, answered):
    queries = ["company=meta", "include_superseded=true", "state=draft", "limit=050",
               "after=nonsense", "offset=1&after=abc", "principle=VP-01", "limit=0"]  # fmt: skip
    for query, headers in product(queries, _keys(keys, ("anonymous", "government"))):
        url = f"{LIST}?{query}"
        through_the_route.get("/api/v1/whoami", headers=headers)
        assert exchange(client, url, headers) == exchange(through_the_route, url, headers), url
    assert answered == []


@pytest.mark.usefixtures("reported")
def test_a_company_key_sees_its_drafts_through_the_route(client, through_the_route, keys, answered):
    headers = auth(keys["company"])
    through_the_route.get("/api/v1/whoami", headers=headers)
    served = exchange(client, LIST, headers)
    assert served == exchange(through_the_route, LIST, headers)
    assert answered == [False]


@pytest.mark.usefixtures("reported")
def test_drafts_have_no_document_and_an_amendment_supersedes_its_original(session):
    documents = session.exec(select(UpdateDocument)).all()
    restricted = session.exec(select(UpdateRestrictedDocument)).all()
    assert {d.update_id for d in restricted} == {d.update_id for d in documents}
    assert all(b'"state":"submitted"' in d.restricted_body for d in restricted)
    superseded = [d for d in documents if not d.current]
    assert len(superseded) == 1
    assert b'"superseded_by":"/api/v1/updates/' in superseded[0].public_body


@pytest.mark.usefixtures("reported")
def test_deep_offsets_start_from_kept_positions_and_follow_the_order(
    client, through_the_route, session, keys, answered, monkeypatch
):
    """Every offset, with a position kept every second row (`app/core/anchors.py`), is the
    route's page for the public and for a government; after a submission and an amendment move
    the order, the positions are found again and every page is still the route's."""
    hops = hops_of(monkeypatch, listing._Order)
    total = client.get(f"{LIST}?limit=1").json()["total"]
    urls = [f"{LIST}?limit=2&offset={offset}" for offset in range(total + 3)]
    audiences = _keys(keys, ("anonymous", "government"))
    for headers in audiences:
        through_the_route.get("/api/v1/whoami", headers=headers)  # its use recorded: no write

    def compare() -> None:
        for url, headers in product(urls, audiences):
            assert exchange(client, url, headers) == exchange(through_the_route, url, headers)

    found_then_kept(client, urls, hops, compare)
    meta = session.exec(factories.select_company("meta")).one()
    newest = factories.update(session, meta, {"VP-05": ("planned", "public")})
    factories.update(session, meta, {"VP-05": ("implemented", "public")}, supersedes=newest)
    compare()
    assert hops  # found again in the moved order
    assert answered
    assert all(answered)
