"""The company list's commonest pages read without the ORM, for the layer that answers before
routing (`app/http/stored_documents.py`): no filter or a status alone, sorted by name or by
endorsement, by offset or by cursor, anonymous or keyed. That is what dashboards poll and what a
government key pages through; each page is three statements through the row reader: the clock,
the key and the counters at one moment; the page's ids along the status index; their stored
items.

`parse` takes a query only when every parameter is one of these, written as the API itself
writes it in its links; anything else (other filters, country sort, a malformed or foreign
cursor, a value the route would refuse) goes to the route, which answers it with the ORM
(`queries.list_companies`). A test compares the two, page by page and header for header, over
every sort, status, offset and cursor position, NULLs included.
"""

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from app.api_index.schemas import CoverageNoticeRead
from app.changes import clock
from app.companies.queries import CompanyFilters, CompanySort
from app.companies.schemas import CompanyPage
from app.core import anchors
from app.core.errors import InvalidRequestError
from app.core.links import Located, page_links
from app.core.pagination import (
    Cursor,
    PageParams,
    canonical_query,
    cursor_order,
    next_cursor,
    with_items,
)
from app.core.rows import id_slots
from app.endorsements.models import EndorsementStatus
from app.endorsements.schemas import ENDORSEMENT_NOTICE
from app.engines.base import RowReader
from app.stats.models import STATUS

# Sorts read from the status rows alone; the column, and whether it has NULLs (sorted last).
_SORTS = {
    CompanySort.NAME: ("sort_name", False),
    CompanySort.NAME_DESC: ("sort_name", False),
    CompanySort.ENDORSED_ON: ("endorsed_order", True),
    CompanySort.ENDORSED_ON_DESC: ("endorsed_order", True),
}
_ORDER_SHAPE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-3] ")  # as queries.ORDER_SHAPE
_VALUES = {
    "status": re.compile("|".join(status.value for status in EndorsementStatus)),
    "sort": re.compile("|".join(re.escape(sort.value) for sort in _SORTS)),
}


@dataclass(frozen=True)
class ListRequest:
    status: EndorsementStatus | None
    sort: CompanySort
    page: PageParams

    @property
    def order(self) -> str:
        """What a cursor of this list is made for (as the route names it)."""
        return _cursor_order(self.sort, self.status)


@cache  # a digest per sort and status, not per request
def _cursor_order(sort: CompanySort, status: EndorsementStatus | None) -> str:
    return cursor_order(sort.value, CompanyFilters(status=status))


def parse(query_string: bytes) -> ListRequest | None:
    """The request, when every parameter is one this module answers, once, in canonical form."""
    found = canonical_query(query_string, _VALUES)
    if found is None:
        return None
    given, page = found
    status = EndorsementStatus(given["status"]) if "status" in given else None
    wanted = ListRequest(status, CompanySort(given.get("sort", "name")), page)
    if "after" not in given:
        return wanted
    try:
        cursor = Cursor.decode(given["after"])
    except InvalidRequestError:
        return None
    value = cursor.key[0]
    shape = _ORDER_SHAPE if _SORTS[wanted.sort][1] else None
    if cursor.order != wanted.order or (value is not None and shape and not shape.match(value)):
        return None
    after = PageParams(limit=page.limit, offset=cursor.offset, after=cursor)
    return ListRequest(wanted.status, wanted.sort, after)


_TOTAL = "SELECT COALESCE(SUM(amount), 0) FROM stat_counter WHERE counter = :counter AND amount > 0"
# How many endorse now, as a column of a moment (`read_moment`), with ENDORSING_PARAMS.
ENDORSING = "SELECT amount FROM stat_counter WHERE counter = :counter AND key = :endorsed"
ENDORSING_PARAMS = {"counter": STATUS, "endorsed": EndorsementStatus.ENDORSED.value}


def counted(wanted: ListRequest) -> tuple[str, dict[str, Any]]:
    """The columns (and parameters) for `read_moment` that give the list's total and how many
    endorse now: the status counters the writes keep, as `queries._total` and
    `endorsing_count` read them."""
    total = _TOTAL + (" AND key = :status" if wanted.status is not None else "")
    params = dict(ENDORSING_PARAMS)
    if wanted.status is not None:
        params["status"] = wanted.status.value
    return f"({total}), ({ENDORSING}), {clock.ListOrder.COMPANIES.columns}", params


def _page_sql(wanted: ListRequest) -> str:
    column, nullable = _SORTS[wanted.sort]
    descending = wanted.sort.value.startswith("-")
    direction, beyond, later = ("DESC", "<", "<") if descending else ("ASC", ">", ">")
    nulls = " NULLS LAST" if nullable else ""
    conditions = ["status = :status"] if wanted.status is not None else []
    after = wanted.page.after
    if after is not None and after.key[0] is None:  # inside the trailing NULLs
        conditions.append(f"{column} IS NULL AND company_id {later} :last_id")
    elif after is not None:
        beyond_value = f"{column} {beyond} :value OR company_id {later} :last_id"
        reached = f"{column} {beyond}= :value AND ({beyond_value})"
        conditions.append(f"({reached} OR {column} IS NULL)" if nullable else reached)
    where = f" WHERE {' AND '.join(f'({c})' for c in conditions)}" if conditions else ""
    return (
        f"SELECT {column}, company_id FROM company_status{where}"  # noqa: S608 - constants
        f" ORDER BY {column} {direction}{nulls}, company_id {direction} LIMIT :limit OFFSET :offset"
    )


# What a page shows of each company: its list item (the API), or its table row (the web page).
ITEMS = ("company_item", "item")
TABLE_ROWS = ("company_table_row", "row")


def _stored_sql(stored: tuple[str, str], slots: str) -> str:
    table, column = stored
    return f"SELECT company_id, {column} FROM {table} WHERE company_id IN ({slots})"  # noqa: S608


_PAGES = {
    (sort, status, keyset, null_position): _page_sql(
        ListRequest(
            EndorsementStatus.ENDORSED if status else None,
            sort,
            PageParams(
                limit=1,
                offset=0,
                after=Cursor(0, "", [None if null_position else "", 1]) if keyset else None,
            ),
        )
    )
    for sort in _SORTS
    for status in (False, True)
    for keyset in (False, True)
    for null_position in (False, True)
}


@dataclass(frozen=True)
class _Order:
    """The list's order for `anchors`: its sort over its status filter."""

    sort: CompanySort
    status: EndorsementStatus | None

    @property
    def name(self) -> tuple[CompanySort, EndorsementStatus | None]:
        return self.sort, self.status

    async def hop(
        self, rows: RowReader, after: anchors.Key | None, skip: int
    ) -> anchors.Key | None:
        found = await _read(rows, self, after, limit=1, offset=skip)
        return (found[0][0], found[0][1]) if found else None


async def _read(
    rows: RowReader, order: _Order, after: anchors.Key | None, *, limit: int, offset: int
) -> list[tuple[Any, ...]]:
    """(sort value, id) of `limit` rows, `offset` rows on from the first after `after`."""
    params: dict[str, Any] = {"limit": limit, "offset": offset}
    if order.status is not None:
        params["status"] = order.status.value
    if after is not None:
        params["last_id"] = after[1]
        if after[0] is not None:
            params["value"] = after[0]
    null_position = after is not None and after[0] is None
    sql = _PAGES[order.sort, order.status is not None, after is not None, null_position]
    return await rows.rows(sql, params)


@dataclass(frozen=True)
class Shown:
    """A page of the list before its companies are read: their ids in order, its links, and the
    counts it shows."""

    ids: list[int]
    links: tuple[str | None, str | None]
    total: int
    endorsing: int

    def shell(self, wanted: ListRequest) -> CompanyPage:
        """The page's model without its items, as the route makes it."""
        return CompanyPage(
            notice=ENDORSEMENT_NOTICE,
            coverage=CoverageNoticeRead.of(self.endorsing),
            items=[],
            total=self.total,
            limit=wanted.page.limit,
            offset=wanted.page.offset,
            next=self.links[0],
            prev=self.links[1],
        )


async def shown(
    rows: RowReader, wanted: ListRequest, url: Located, counted: tuple[Any, ...]
) -> Shown:
    """The page's companies and links; `counted`: the moment's columns from `counted`."""
    total, endorsing, *order_state = counted
    order = _Order(wanted.sort, wanted.status)
    after = wanted.page.after
    if after is None:  # by offset: from the nearest known position at or before it
        start, skip = await anchors.start(
            rows, order, tuple(order_state), clock.ListOrder.COMPANIES.query, wanted.page.offset
        )
    else:
        start, skip = (after.key[0], after.key[1]), 0
    found = await _read(rows, order, start, limit=wanted.page.limit, offset=skip)
    last = (found[-1][0], found[-1][1]) if found else None
    following = next_cursor(wanted.page, wanted.order, last)
    links = page_links(url, wanted.page, int(total), following)
    return Shown([company_id for _, company_id in found], links, int(total), int(endorsing or 0))


async def stored_for(
    rows: RowReader, stored: tuple[str, str], ids: list[int], most: int
) -> list[Any] | None:
    """What `stored` (ITEMS, TABLE_ROWS) holds for these companies, in their order; None when
    one has none (the app answers)."""
    slots, slot_params = id_slots(ids, most)
    found = dict(await rows.rows(_stored_sql(stored, slots), slot_params))
    return None if len(found) < len(ids) else [found[company_id] for company_id in ids]


async def page_body(
    rows: RowReader,
    wanted: ListRequest,
    url: Located,
    counted: tuple[Any, ...],
) -> tuple[bytes, tuple[str | None, str | None]] | None:
    """The page's JSON (its stored items spliced into the page's model, as the route does) and
    its next and previous links, or None when an item is not stored; `counted`: the moment's
    columns from `counted`."""
    page = await shown(rows, wanted, url, counted)
    items = await stored_for(rows, ITEMS, page.ids, wanted.page.limit)
    if items is None:
        return None
    body = with_items(page.shell(wanted).model_dump_json().encode(), [bytes(i) for i in items])
    return body, page.links
