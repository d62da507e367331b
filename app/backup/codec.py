"""One text form for every stored value, shared by the backup file and the registry checksum,
so that a checksum means the same on SQLite and PostgreSQL."""

import base64
import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Column, Connection, Table, select

from app.models import metadata

# Working state, not registry data: never backed up, never part of the checksum.
TRANSIENT_TABLES = frozenset({"rate_limit_hit"})


def registry_tables() -> list[Table]:
    """Every table of the registry, parents before children (the order a restore inserts)."""
    return [table for table in metadata.sorted_tables if table.name not in TRANSIENT_TABLES]


def encode(value: Any) -> Any:
    if isinstance(value, bytes):  # the log's hashes
        return base64.b64encode(value).decode()
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def decoder(column: Column[Any]) -> Any:
    """The function that turns the encoded form back into what the column takes."""
    stored = getattr(column.type, "impl_instance", column.type)  # a TypeDecorator's own type
    try:
        kind = stored.python_type
    except NotImplementedError:
        return None
    if kind is datetime:
        return datetime.fromisoformat
    if kind is date:
        return date.fromisoformat
    if kind is bytes:
        return base64.b64decode
    return None


def rows_of(
    connection: Connection, table: Table, ignored: frozenset[str] = frozenset()
) -> Iterator[list[Any]]:
    """Encoded rows in primary-key order, streamed rather than loaded whole."""
    columns = [column for column in table.columns if column.name not in ignored]
    statement = (
        select(*columns)
        .order_by(*table.primary_key.columns)
        .execution_options(stream_results=True, yield_per=2000)  # this statement only
    )
    for row in connection.execute(statement):
        yield [encode(value) for value in row]


def canonical(row: list[Any]) -> bytes:
    return json.dumps(row, sort_keys=True, separators=(",", ":"), default=str).encode()


def checksum(
    connection: Connection, ignored_columns: frozenset[tuple[str, str]] = frozenset()
) -> str:
    """SHA-256 over every row of every registry table."""
    digest = hashlib.sha256()
    for table in registry_tables():
        ignored = frozenset(column for name, column in ignored_columns if name == table.name)
        digest.update(table.name.encode())
        for row in rows_of(connection, table, ignored):
            digest.update(canonical(row))
    return digest.hexdigest()
