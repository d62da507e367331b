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

from starlette.datastructures import URL

from app.core.errors import InvalidRequestError
from app.core.pagination import (
    Cursor,
    PageParams,
    canonical_query,
    cursor_date,
    cursor_order,
    next_cursor,
    page_links,
    with_items,
)
from app.core.rows import id_slots
from app.engines.base import RowReader
from app.stats.models import ALL_KEY, UPDATES_CURRENT
from app.updates.queries import UpdateFilters
from app.updates.schemas import UpdatePage

ORDER = cursor_order("updates", UpdateFilters())  # as the route names an unfiltered list
TOTAL = "(SELECT amount FROM stat_counter WHERE counter = :counter AND key = :all_key)"
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


_IDS = (
    "SELECT period_end, update_id FROM update_document WHERE current = :current{after}"
    " ORDER BY period_end DESC, update_id DESC LIMIT :limit{offset}"
)
_BY_OFFSET = _IDS.format(after="", offset=" OFFSET :offset")
_AFTER = _IDS.format(
    after=" AND period_end <= :period_end AND (period_end < :period_end OR update_id < :last_id)",
    offset="",
)


def _bodies_sql(slots: str, restricted: bool) -> str:
    body = "restricted_body" if restricted else "public_body"
    return f"SELECT update_id, {body} FROM update_document WHERE update_id IN ({slots})"  # noqa: S608


async def page_body(
    rows: RowReader, wanted: ListRequest, url: URL, total: int, *, restricted: bool
) -> tuple[bytes, tuple[str | None, str | None]]:
    """The page's JSON (the stored documents spliced into the page's model, as the route makes
    it) and its next and previous links."""
    page = wanted.page
    params: dict[str, Any] = {"current": True, "limit": page.limit}
    if page.after is None:
        params["offset"] = page.offset
    else:
        params |= {"period_end": wanted.after, "last_id": page.after.key[1]}
    shown = await rows.rows(_BY_OFFSET if page.after is None else _AFTER, params)
    ids = [update_id for _, update_id in shown]
    slots, slot_params = id_slots(ids, page.limit)
    found = dict(await rows.rows(_bodies_sql(slots, restricted), slot_params))
    last = (shown[-1][0], shown[-1][1]) if shown else None
    links = page_links(url, page, total, next_cursor(page, ORDER, last))
    shell = UpdatePage(
        items=[], total=total, limit=page.limit, offset=page.offset, next=links[0], prev=links[1]
    )
    body = with_items(shell.model_dump_json().encode(), [bytes(found[i]) for i in ids])
    return body, links
