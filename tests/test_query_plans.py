"""Query plans of the company list: each filter and sort is read from an index in its order,
never by sorting the whole table (which is what made lists slow at 100,000 companies)."""

from typing import Any

import pytest
from sqlalchemy import Connection, event, text

from tests.conftest import auth

LISTS = {
    "by name": ("sort=name", "ix_company_status_name"),
    "by name, descending": ("sort=-name", "ix_company_status_name"),
    "endorsed, by name": ("status=endorsed&sort=name", "ix_company_status_status_name"),
    "endorsed, by name, descending": (
        "status=endorsed&sort=-name",
        "ix_company_status_status_name",
    ),
}


def _page_query(client, session, query: str, headers: dict[str, str]) -> tuple[str, Any]:
    """The SQL (and parameters) that read the page's rows, as the app ran it."""
    seen: list[tuple[str, Any]] = []
    connection: Connection = session.connection()

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        seen.append((statement, parameters))

    event.listen(connection, "before_cursor_execute", record)
    try:
        first = client.get(f"/api/v1/companies?{query}&limit=5", headers=headers).json()
        seen.clear()
        assert client.get(first["next"], headers=headers).status_code == 200  # a keyset page
    finally:
        event.remove(connection, "before_cursor_execute", record)
    return next(s for s in seen if "company_status.sort_name" in s[0] and "LIMIT" in s[0])


def _plan(session, statement: str, parameters: Any) -> str:
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
        return "\n".join(str(row[-1]) for row in rows)
    # The test tables are small enough that PostgreSQL would rightly scan them: ask what it
    # does when it must not, as it chooses at 100,000 companies.
    connection.execute(text("SET LOCAL enable_seqscan = off"))
    rows = connection.exec_driver_sql(f"EXPLAIN {statement}", parameters).all()
    return "\n".join(str(row[0]) for row in rows)


@pytest.mark.parametrize(("query", "index"), LISTS.values(), ids=LISTS.keys())
def test_the_list_reads_an_index_in_its_order(client, session, keys, query, index):
    statement, parameters = _page_query(client, session, query, auth(keys["government"]))
    plan = _plan(session, statement, parameters)
    assert index in plan, plan
    assert "TEMP B-TREE FOR ORDER BY" not in plan  # SQLite sorting rows itself
    assert "Sort  (" not in plan  # PostgreSQL sorting rows itself
