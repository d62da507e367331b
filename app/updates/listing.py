"""The update list's commonest pages read without the ORM, for the layer that answers before
routing (`app/http/stored_documents.py`): no filter, by offset or by cursor, for everyone who
sees what the public or a government sees (a company's key, which also sees its own drafts,
goes to the route). Three statements through the row reader: the clock, the key and the total
at one moment; the page's ids along the documents' listing index; their stored documents for
the caller's audience (`app/updates/documents.py`).

`parse` takes a query only when every parameter is `limit`, `offset` or `after`, once each and
written as the API writes them; anything else goes to the route. A test compares the two, page
by page and header for header.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from app.changes import clock
from app.core import anchors
from app.core.errors import InvalidRequestError
from app.core.links import Located, page_links
from app.core.pagination import (
    Cursor,
    PageParams,
    canonical_query,
    cursor_date,
    cursor_order,
    next_cursor,
    with_items,
)
from app.core.rows import id_slots
from app.engines.base import RowReader
from app.stats.models import ALL_KEY, UPDATES_CURRENT
from app.updates.queries import UpdateFilters
from app.updates.schemas import UpdatePage

ORDER = cursor_order("updates", UpdateFilters())  # as the route names an unfiltered list
_COUNTED = "(SELECT amount FROM stat_counter WHERE counter = :counter AND key = :all_key)"
TOTAL = f"{_COUNTED}, {clock.ListOrder.UPDATES.columns}"  # the total, and the order's state
TOTAL_PARAMS = {"counter": UPDATES_CURRENT, "all_key": ALL_KEY}


@dataclass(frozen=True)
class ListRequest:
    page: PageParams
    after: date | None  # the cursor's period end


def parse(query_string: bytes) -> ListRequest | None:
    """The request, when every parameter is one this module answers, once, in canonical form."""
    found = canonical_query(query_string, {})
    if found is None:
        return None
    given, page = found
    if "after" not in given:
        return ListRequest(page, None)
    try:
        cursor = Cursor.decode(given["after"])
        period_end = cursor_date(cursor.key[0])
    except InvalidRequestError:
        return None
    if cursor.order != ORDER:
        return None
    return ListRequest(PageParams(limit=page.limit, offset=cursor.offset, after=cursor), period_end)


_COLUMNS = "SELECT period_end, update_id FROM update_document WHERE current = :current"
_ORDER_BY = " ORDER BY period_end DESC, update_id DESC"
_BY_OFFSET = f"{_COLUMNS}{_ORDER_BY} LIMIT :limit OFFSET :offset"
# After a key: the rest of its period (smaller ids), then earlier periods, each read along the
# index and cut at `reach` (limit + offset) before the two are put in order. As one range, the
# condition seeks on the period alone on SQLite, which then walked every update of a shared
# period end (an annual report's) before the key: 8 ms half-way down 100,000 updates of one
# period, 0.03 ms so.
_AFTER = (
    f"SELECT period_end, update_id FROM ("  # noqa: S608 - constants
    f" SELECT * FROM ({_COLUMNS} AND period_end = :period_end AND update_id < :last_id"
    " ORDER BY update_id DESC LIMIT :reach) AS same_period"
    f" UNION ALL SELECT * FROM ({_COLUMNS} AND period_end < :period_end{_ORDER_BY}"
    " LIMIT :reach) AS earlier"
    f") AS following{_ORDER_BY} LIMIT :limit OFFSET :offset"
)


class _Order:
    """The list's one order, for `anchors`: newest period first."""

    name = "updates"

    async def hop(
        self, rows: RowReader, after: anchors.Key | None, skip: int
    ) -> anchors.Key | None:
        found = await _read(rows, after, limit=1, offset=skip)
        return (found[0][0], found[0][1]) if found else None


_ORDER = _Order()


async def _read(
    rows: RowReader, after: anchors.Key | None, *, limit: int, offset: int
) -> list[tuple[Any, ...]]:
    """(period end, id) of `limit` current documents, `offset` on from the first after `after`."""
    params: dict[str, Any] = {"current": True, "limit": limit, "offset": offset}
    if after is None:
        return await rows.rows(_BY_OFFSET, params)
    key = {"period_end": after[0], "last_id": after[1], "reach": limit + offset}
    return await rows.rows(_AFTER, params | key)


def _bodies_sql(slots: str, restricted: bool) -> str:
    table, body = (
        ("update_restricted_document", "restricted_body")
        if restricted
        else ("update_document", "public_body")
    )
    return f"SELECT update_id, {body} FROM {table} WHERE update_id IN ({slots})"  # noqa: S608


async def page_body(
    rows: RowReader,
    wanted: ListRequest,
    url: Located,
    counted: tuple[Any, ...],
    *,
    restricted: bool,
) -> tuple[bytes, tuple[str | None, str | None]]:
    """The page's JSON (the stored documents spliced into the page's model, as the route makes
    it) and its next and previous links; `counted`: the moment's columns from TOTAL."""
    total, *order_state = counted
    page = wanted.page
    if page.after is None:  # by offset: from the nearest known position at or before it
        start, skip = await anchors.start(
            rows, _ORDER, tuple(order_state), clock.ListOrder.UPDATES.query, page.offset
        )
    else:
        start, skip = (wanted.after, page.after.key[1]), 0
    shown = await _read(rows, start, limit=page.limit, offset=skip)
    ids = [update_id for _, update_id in shown]
    slots, slot_params = id_slots(ids, page.limit)
    found = dict(await rows.rows(_bodies_sql(slots, restricted), slot_params))
    last = (shown[-1][0], shown[-1][1]) if shown else None
    links = page_links(url, page, int(total or 0), next_cursor(page, ORDER, last))
    shell = UpdatePage(
        items=[],
        total=int(total or 0),
        limit=page.limit,
        offset=page.offset,
        next=links[0],
        prev=links[1],
    )
    body = with_items(shell.model_dump_json().encode(), [bytes(found[i]) for i in ids])
    return body, links
