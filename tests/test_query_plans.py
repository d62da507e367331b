"""Query plans: each filter and sort of the company list is read from an index in its order,
never by sorting the whole table (which is what made lists slow at 100,000 companies); search
reads its full-text index and ranks only what matched; statistics read their counters."""

import re
from typing import Any

import pytest
from sqlalchemy import Connection, event, text

from app.companies import documents
from tests import factories
from tests.conftest import auth

LISTS = {
    "by name": ("sort=name", "ix_company_status_name"),
    "by name, descending": ("sort=-name", "ix_company_status_name"),
    "endorsed, by name": ("status=endorsed&sort=name", "ix_company_status_status_name"),
    "endorsed, by name, descending": (
        "status=endorsed&sort=-name",
        "ix_company_status_status_name",
    ),
    "by endorsement": ("sort=endorsed_on", "ix_company_status_endorsed_order"),
    "by endorsement, descending": (
        "sort=-endorsed_on",
        r"ix_(desc_)?company_status_endorsed_order",
    ),
    "endorsed, by endorsement, descending": (  # PostgreSQL's own descending index
        "status=endorsed&sort=-endorsed_on",
        r"ix_(desc_)?company_status_status_endorsed_order",
    ),
}


def _statements(client, session, url: str, headers: dict[str, str]) -> list[tuple[str, Any]]:
    """The SQL (and parameters) the app ran to answer a GET."""
    seen: list[tuple[str, Any]] = []
    connection: Connection = session.connection()

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        seen.append((statement, parameters))

    event.listen(connection, "before_cursor_execute", record)
    try:
        assert client.get(url, headers=headers).status_code == 200
    finally:
        event.remove(connection, "before_cursor_execute", record)
    return seen


def _page_query(client, session, query: str, headers: dict[str, str]) -> tuple[str, Any]:
    """The SQL (and parameters) that read a keyset page's rows, as the app ran it."""
    first = client.get(f"/api/v1/companies?{query}&limit=5", headers=headers).json()
    seen = _statements(client, session, first["next"], headers)
    return next(s for s in seen if "FROM company_status" in s[0] and "LIMIT" in s[0])


def _plan(session, statement: str, parameters: Any) -> str:
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
        return "\n".join(str(row[-1]) for row in rows)
    # The test tables are small enough that PostgreSQL would rightly scan and sort them: ask
    # what it does when it must not (as it chooses at 100,000 companies); it still scans or
    # sorts when no index can serve the query.
    connection.execute(text("SET LOCAL enable_seqscan = off"))
    connection.execute(text("SET LOCAL enable_sort = off"))
    rows = connection.exec_driver_sql(f"EXPLAIN {statement}", parameters).all()
    return "\n".join(str(row[0]) for row in rows)


@pytest.mark.parametrize("answered_by", ["layer", "route"])
@pytest.mark.parametrize(("query", "index"), LISTS.values(), ids=LISTS.keys())
def test_the_list_reads_an_index_in_its_order(
    client, through_the_route, session, keys, query, index, answered_by
):
    """Before routing (app/companies/listing.py) and in the route (the ORM's statement)."""
    app = client if answered_by == "layer" else through_the_route
    statement, parameters = _page_query(app, session, query, auth(keys["government"]))
    plan = _plan(session, statement, parameters)
    assert re.search(rf"\b{index}\b", plan), plan
    assert "TEMP B-TREE FOR ORDER BY" not in plan  # SQLite sorting rows itself
    assert "Sort  (" not in plan  # PostgreSQL sorting rows itself


TABLE_READ = re.compile(r"(?:FROM|JOIN)\s+\"?(\w+)")
# What each kind of read must use, per engine: (marker of its statement, what the plan names).
SEARCHES = {
    "narratives": ("update_entry", {"sqlite": "update_entry_fts VIRTUAL TABLE INDEX",
                                    "postgresql": "ix_fts_update_entry_vector"}),
    "company names": ("company", {"sqlite": "company_fts VIRTUAL TABLE INDEX",
                                  "postgresql": "ix_fts_company_vector"}),
}  # fmt: skip


@pytest.mark.parametrize(("table", "index"), SEARCHES.values(), ids=SEARCHES.keys())
def test_search_reads_its_full_text_index(client, session, keys, table, index):
    headers = auth(keys["government"])
    seen = _statements(client, session, "/api/v1/search?q=grooming+classifiers", headers)
    statement, parameters = next(
        s for s in seen if "rank" in s[0] and f"FROM {table}" in " ".join(s[0].split())
    )
    plan = _plan(session, statement, parameters)
    engine = session.connection().dialect.name
    assert index[engine] in plan, plan
    assert f"SCAN {table}\n" not in plan + "\n"  # SQLite reading every row of the table
    assert f"Seq Scan on {table} " not in plan  # PostgreSQL reading every row
    if engine == "sqlite":
        # The newest matches come in the FTS table's rowid order: sorting them all instead
        # computed the rank of every match (200 ms for a common word at 1M entries).
        assert "TEMP B-TREE FOR ORDER BY" not in plan, plan


@pytest.mark.parametrize("url", ["/api/v1/stats/endorsements-over-time", "/api/v1/stats/breakdown"])
def test_statistics_read_their_counters_only(client, session, url):
    seen = _statements(client, session, url, {})
    tables = {name for statement, _ in seen for name in TABLE_READ.findall(statement)}
    assert "stat_counter" in tables, seen
    assert not {"endorsement_event", "company", "company_sector", "company_status"} & tables


@pytest.mark.parametrize("answered_by", ["layer", "route"])
@pytest.mark.parametrize(
    ("role", "table"), [("anonymous", "published_status"), ("government", "restricted_status")]
)
def test_coverage_reads_indexes_and_its_audiences_read_model(
    client, through_the_route, session, keys, role, table, answered_by
):
    """A page of the status index, then each company's latest statuses by its key, from the
    read model of the caller's audience: no entry is ranked per request."""
    app = client if answered_by == "layer" else through_the_route
    headers = {} if role == "anonymous" else auth(keys[role])
    seen = _statements(app, session, "/api/v1/stats/coverage?limit=5&offset=2", headers)
    tables = {name for statement, _ in seen for name in TABLE_READ.findall(statement)}
    assert table in tables, seen
    assert not {"update_entry", "implementation_update"} & tables
    page = next(s for s in seen if "FROM company_status" in s[0] and "LIMIT" in s[0])
    statuses = next(s for s in seen if f"FROM {table}" in s[0])
    for statement, parameters in (page, statuses):
        plan = _plan(session, statement, parameters)
        assert "TEMP B-TREE FOR ORDER BY" not in plan, plan
        assert "Sort  (" not in plan, plan
        assert not re.search(r"\bSCAN (company_status|company|\w+_status)\b", plan), plan
        assert "Seq Scan" not in plan, plan
    assert "ix_company_status_status_name" in _plan(session, *page)
    assert re.search(rf"(pk_|sqlite_autoindex_){table}", _plan(session, *statuses))


def _update_list_plan(
    client,
    session,
    url: str,
    headers: dict[str, str],
    marker: str = "ORDER BY implementation_update",
) -> str:
    """The plan of the statement that read a list of updates in period order; never a sort."""
    seen = _statements(client, session, url, headers)
    statement, parameters = next(s for s in seen if marker in s[0] and "period_end DESC" in s[0])
    plan = _plan(session, statement, parameters)
    assert "TEMP B-TREE FOR ORDER BY" not in plan
    assert "Sort  (" not in plan
    return plan


def test_the_update_list_reads_its_index_in_its_order(client, through_the_route, session, keys):
    """Before routing, along the stored documents' index; in the route, the updates' own."""
    government = auth(keys["government"])
    through_the_route.get("/api/v1/whoami", headers=government)  # its use recorded: no write
    url = "/api/v1/updates?limit=5"
    plan = _update_list_plan(client, session, url, government, marker="FROM update_document")
    assert "ix_update_document_listing" in plan, plan
    plan = _update_list_plan(through_the_route, session, url, government)
    assert "ix_implementation_update_listing" in plan, plan


@pytest.mark.parametrize("url", ["/api/v1/updates?company=meta&limit=5", "/companies/meta"])
def test_one_companys_updates_are_read_through_its_own_index(through_the_route, session, url):
    """Not by walking every submitted update in period order, keeping the company's (0.4 s a
    company page at 100,000 companies)."""
    plan = _update_list_plan(through_the_route, session, url, {})
    assert "ix_implementation_update_company_listing" in plan, plan


def test_a_company_rendering_reads_its_updates_through_their_own_index(session):
    """The updates its stored page lists, read with its document (for a chunk of companies at
    once when every document is rendered): along the companies' listing index, never a scan."""
    meta = session.exec(factories.select_company("meta")).one()
    factories.update(session, meta, {"VP-01": ("implemented", "public")})
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        seen.append((statement, parameters))

    connection: Connection = session.connection()
    event.listen(connection, "before_cursor_execute", record)
    try:
        documents.store(session, [meta.id])
    finally:
        event.remove(connection, "before_cursor_execute", record)
    marker = "ORDER BY implementation_update.company_id"
    statement, parameters = next(s for s in seen if marker in s[0])
    plan = _plan(session, statement, parameters)
    assert "ix_implementation_update_company_listing" in plan, plan
    assert not re.search(r"SCAN implementation_update\b(?! USING)", plan), plan
    assert "Seq Scan on implementation_update" not in plan, plan


def test_the_update_list_after_a_key_seeks_on_its_period_and_id(client, session, keys):
    """Before routing, a page after a cursor reads the rest of the key's period and the earlier
    periods apart, each along the stored documents' index: as one range, SQLite sought on the
    period alone and walked every update of a shared period end before the key."""
    meta = session.exec(factories.select_company("meta")).one()
    for _ in range(7):  # one period end, shared: more than a page
        factories.update(session, meta, {"VP-01": ("implemented", "public")})
    government = auth(keys["government"])
    following = client.get("/api/v1/updates?limit=5", headers=government).json()["next"]
    seen = _statements(client, session, following, government)
    statement, parameters = next(s for s in seen if "AS same_period" in s[0])
    plan = _plan(session, statement, parameters)
    assert "ix_update_document_listing" in plan, plan
    if session.connection().dialect.name == "sqlite":
        assert "period_end=? AND update_id<?" in plan, plan
    else:
        assert "Seq Scan" not in plan, plan
        assert re.search(r"period_end = .*update_id < ", plan), plan


STORED = ("company_document", "company_item", "company_page_part", "company_table_row")


@pytest.mark.parametrize(
    "url", ["/companies/meta", "/companies?limit=5", "/api/v1/companies/meta", "/api/v1/companies"]
)
def test_stored_documents_and_page_parts_are_read_by_their_keys(client, session, url):
    """A company's detail or page part by its slug, a page's items or table rows by their ids:
    each a lookup of its key, never a scan of 100,000 rows."""
    seen = _statements(client, session, url, {})
    reads = [(s, p) for s, p in seen if any(table in s for table in STORED)]
    assert reads, seen
    for statement, parameters in reads:
        plan = _plan(session, statement, parameters)
        for table in STORED:
            assert not re.search(rf"SCAN {table}\b(?! USING)", plan), plan  # SQLite
            assert f"Seq Scan on {table}" not in plan, plan  # PostgreSQL


PARALLEL_MADE_FREE = ("parallel_setup_cost", "parallel_tuple_cost", "min_parallel_table_scan_size")


def test_a_search_plans_no_parallel_workers(client, session, keys):
    """A word PostgreSQL has no statistics for was searched with two parallel workers, whose
    start-up took 6-9 ms of a query that then found nothing in 0.15 ms (at 1,000,000 entries);
    the app's connections ask for none (app/engines/postgres.py). Here parallel plans cost
    nothing, so the planner would choose them wherever workers are allowed."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        pytest.skip("SQLite runs each statement on the calling thread: it has no workers")
    headers = auth(keys["government"])
    seen = _statements(client, session, "/api/v1/search?q=nothingmatches", headers)
    statement, parameters = next(s for s in seen if "rank" in s[0] and "FROM update_entry" in s[0])
    for setting in PARALLEL_MADE_FREE:
        connection.execute(text(f"SET LOCAL {setting} = 0"))
    explained = connection.exec_driver_sql(f"EXPLAIN {statement}", parameters).all()
    plan = "\n".join(str(row[0]) for row in explained)
    assert "Gather" not in plan, plan
