"""The company list pages by keyset: `next` carries a cursor, so a deep page costs what the first
does; the order is the same as by offset, and a cursor is refused where it does not apply."""

import base64
import json
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest

from app.companies.queries import CompanySort
from tests import factories


@pytest.fixture
def many(session):
    countries = ["GB", "US", None, "FR"]
    for n in range(23):
        company = factories.company(session, f"company-{n:02d}", country=countries[n % 4])
        if n % 3:
            factories.event(session, company, "endorsed", date(2021, 1 + n % 12, 1))


def _all_pages(client, query: str) -> tuple[list[str], list[str]]:
    """The slugs by following `next`, and the links followed."""
    url: str | None = f"/api/v1/companies?{query}&limit=5"
    slugs: list[str] = []
    links: list[str] = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.text
        body = response.json()
        slugs += [c["slug"] for c in body["items"]]
        url = body["next"]
        if url:
            links.append(url)
    return slugs, links


@pytest.mark.parametrize("sort", [s.value for s in CompanySort])
def test_keyset_pages_give_the_order_of_one_long_page(client, many, sort):
    whole = [
        c["slug"] for c in client.get(f"/api/v1/companies?sort={sort}&limit=200").json()["items"]
    ]
    paged, links = _all_pages(client, f"sort={sort}")
    assert paged == whole
    assert len(set(paged)) == len(paged) == 23 + 11  # and the seeded companies
    assert links
    assert all("after=" in link and "offset=" not in link for link in links)


def test_filtered_keyset_pages(client, many):
    whole = client.get("/api/v1/companies?status=endorsed&limit=200").json()
    paged, _ = _all_pages(client, "status=endorsed")
    assert paged == [c["slug"] for c in whole["items"]]


def test_a_keyset_page_knows_its_offset_and_links_back(client, many):
    first = client.get("/api/v1/companies?limit=5").json()
    second = client.get(first["next"]).json()
    assert second["offset"] == 5
    assert second["prev"] == "/api/v1/companies?limit=5&offset=0"


def _after(client) -> str:
    link = client.get("/api/v1/companies?limit=5").json()["next"]
    return str(parse_qs(urlsplit(link).query)["after"][0])


@pytest.mark.parametrize(
    "query",
    [
        "after={after}&offset=5",  # two positions: contradictory
        "after=bm90LWEtY3Vyc29y",  # "not-a-cursor", base64
        "after=%%%",
        "after={after}&sort=-name",  # a cursor of another order
        "after={after}&status=endorsed",  # ... or of other filters
    ],
)
def test_cursors_that_do_not_apply_are_refused(client, many, query):
    response = client.get("/api/v1/companies?" + query.format(after=_after(client)))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"


def _crafted(payload: object) -> str:
    text = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(text).decode().rstrip("=")


@pytest.mark.parametrize(
    "payload",
    [
        [5, "x", [{"a": 1}, 1]],  # a sort key that is not text
        [5, "x", ["a", 2**70]],  # a row id no table holds
        [5, "x", ["a", True]],
        [-1, "x", ["a", 1]],
        [True, "x", ["a", 1]],
        [5, "x" * 1000, ["a", 1]],
        [5, "x", ["a"]],
        {"offset": 5},
    ],
)
def test_crafted_cursors_are_refused(client, many, payload):
    response = client.get(f"/api/v1/companies?after={_crafted(payload)}")
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"


def test_a_date_cursor_that_is_not_a_date_is_refused(client, many):
    first = client.get("/api/v1/companies?sort=endorsed_on&limit=5").json()
    after = parse_qs(urlsplit(first["next"]).query)["after"][0]
    offset, order, _ = json.loads(base64.urlsafe_b64decode(after + "=" * (-len(after) % 4)))
    tampered = _crafted([offset, order, ["not-a-date", 1]])
    response = client.get(f"/api/v1/companies?sort=endorsed_on&limit=5&after={tampered}")
    assert response.status_code == 422, response.text


@pytest.fixture
def reports(session, many):
    """Submitted updates over a few periods (several sharing one, so the id breaks ties), an
    amendment that hides the update it replaces, and a draft nobody else sees."""
    for n in range(17):
        company = session.exec(factories.select_company(f"company-{n:02d}")).one()
        year = 2020 + n % 4
        first = factories.update(
            session, company, {"VP-01": ("planned", "public")},
            period=(date(year, 1, 1), date(year, 12, 31)),
        )  # fmt: skip
        if n % 5 == 0:
            factories.update(
                session, company, {"VP-01": ("implemented", "public")},
                period=(date(year, 1, 1), date(year, 12, 31)), supersedes=first,
            )  # fmt: skip
    factories.update(session, company, {"VP-02": ("planned", "public")}, submitted=False)


def _update_pages(client, query: str) -> tuple[list[int], list[str]]:
    url: str | None = f"/api/v1/updates?{query}limit=4"
    ids: list[int] = []
    links: list[str] = []
    while url:
        body = client.get(url).json()
        ids += [update["id"] for update in body["items"]]
        url = body["next"]
        links += [url] if url else []
    return ids, links


@pytest.mark.parametrize("query", ["", "company=company-05&", "include_superseded=true&"])
def test_update_pages_by_keyset_give_the_order_of_one_long_page(client, reports, query):
    whole = client.get(f"/api/v1/updates?{query}limit=200").json()
    paged, links = _update_pages(client, query)
    assert paged == [update["id"] for update in whole["items"]]
    assert len(paged) == whole["total"]
    assert len(paged) == {"": 17, "company=company-05&": 1, "include_superseded=true&": 21}[query]
    ends = [update["period_end"] for update in whole["items"]]
    assert ends == sorted(ends, reverse=True)
    assert all("after=" in link and "offset=" not in link for link in links)


def test_an_update_cursor_is_refused_by_another_filter_and_by_the_company_list(client, reports):
    cursor = parse_qs(urlsplit(client.get("/api/v1/updates?limit=4").json()["next"]).query)
    after = cursor["after"][0]
    for url in (
        f"/api/v1/updates?company=company-01&after={after}",
        f"/api/v1/companies?after={after}",
    ):
        response = client.get(url)
        assert response.status_code == 422, url
        assert response.headers["content-type"] == "application/problem+json"


def test_the_probe_s_lone_surrogate_cursor_is_refused(client, many):
    """Issue 29: a sort key holding a lone surrogate reached the database (a 500)."""
    probe = "WzIsICI3MGQxNGM5MTU2MjM1YWIzIiwgWyJcdWQ4MDAiLCAxXV0"
    response = client.get(f"/api/v1/companies?limit=2&after={probe}")
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("value", ["\ud800", "a\udfffb", "nul\x00"])
def test_a_sort_key_no_database_can_compare_is_refused(client, many, value):
    after = _after(client)
    offset, order, key = json.loads(base64.urlsafe_b64decode(after + "=" * (-len(after) % 4)))
    crafted = _crafted([offset, order, [value, key[1]]])
    response = client.get(f"/api/v1/companies?limit=5&after={crafted}")
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
