"""`drop_references` and `restore_references` (each engine's): rows loaded between them have
their foreign keys checked by the restore at the latest, and the keys are as they were after."""

import pytest
from sqlalchemy import Connection, text
from sqlalchemy.exc import IntegrityError

from app import engines

TABLES = ["stat_contribution", "published_status"]
ROW = "INSERT INTO stat_contribution (company_id, counter, key, amount) VALUES (:id, 'c', 'k', 1)"


def foreign_keys(connection: Connection) -> list[tuple[str, ...]]:
    if connection.dialect.name != "postgresql":
        found = connection.exec_driver_sql("PRAGMA foreign_key_list(stat_contribution)")
        return [tuple(str(value) for value in row) for row in found]
    return [
        tuple(row)
        for row in connection.execute(
            text(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)"
                " FROM pg_constraint WHERE contype = 'f'"
                " AND conrelid = ANY(CAST(:tables AS regclass[])) ORDER BY 1, 2"
            ),
            {"tables": TABLES},
        )
    ]


def test_rows_that_hold_go_in_and_the_keys_are_as_before(session):
    connection = session.connection()
    before = foreign_keys(connection)
    assert before
    company_id = connection.execute(text("SELECT min(id) FROM company")).scalar_one()
    dropped = engines.of(connection).drop_references(connection, TABLES)
    connection.execute(text(ROW), {"id": company_id})
    engines.of(connection).restore_references(connection, dropped)
    assert foreign_keys(connection) == before
    with pytest.raises(IntegrityError), connection.begin_nested():
        connection.execute(text(ROW.replace("'k'", "'other'")), {"id": 10**9})  # still checked


def test_a_row_that_points_nowhere_fails_by_the_end(session):
    connection = session.connection()
    before = foreign_keys(connection)

    def load_a_row_that_points_nowhere() -> None:
        dropped = engines.of(connection).drop_references(connection, TABLES)
        connection.execute(text(ROW), {"id": 10**9})  # SQLite refuses it here
        engines.of(connection).restore_references(connection, dropped)  # PostgreSQL here

    with pytest.raises(IntegrityError), connection.begin_nested():
        load_a_row_that_points_nowhere()
    assert foreign_keys(connection) == before
