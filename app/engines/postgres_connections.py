"""PostgreSQL's async connections, which the event loop reads through without the ORM: the
change clock, rows by key for the answers made before routing, the shared rate-limit counter."""

import re
import time
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any

import psycopg
from psycopg_pool import AsyncConnectionPool, PoolTimeout
from sqlalchemy.engine import make_url

from app.engines.base import UnavailableError

AsyncConnection = psycopg.AsyncConnection[tuple[Any, ...]]
# A connection given back this recently is handed out unchecked: it worked a moment ago, and a
# check is a round trip on every answer. One idle longer may have been closed by a server
# restart since, and is checked (and replaced) before it is handed out.
CHECK_AFTER_IDLE_S = 1.0


def libpq_url(database_url: str) -> str:
    """The SQLAlchemy URL as psycopg itself takes it (no +driver suffix)."""
    url = make_url(database_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


class PgConnections:
    """Up to `size` autocommit connections for async code (psycopg_pool), opened on first use in
    the running event loop. A connection is given back however its holder ends, cancelled
    included; one that broke (a server restart) is discarded and replaced."""

    def __init__(self, url: str, size: int = 1, connect_timeout_s: int = 2) -> None:
        self.url = url
        self.size = size
        self.connect_timeout_s = connect_timeout_s
        self._pool: AsyncConnectionPool[psycopg.AsyncConnection[tuple[Any, ...]]] | None = None
        self._returned_at: weakref.WeakKeyDictionary[AsyncConnection, float] = (
            weakref.WeakKeyDictionary()
        )

    async def _note_returned(self, connection: AsyncConnection) -> None:
        self._returned_at[connection] = time.monotonic()

    async def _check_if_idle(self, connection: AsyncConnection) -> None:
        returned = self._returned_at.get(connection)
        if returned is None or time.monotonic() - returned >= CHECK_AFTER_IDLE_S:
            await AsyncConnectionPool.check_connection(connection)

    async def _opened(self) -> AsyncConnectionPool[psycopg.AsyncConnection[tuple[Any, ...]]]:
        if self._pool is None:
            self._pool = AsyncConnectionPool(
                self.url,
                min_size=0,  # connect on demand: an instance starts even while the server is down
                max_size=self.size,
                kwargs={"autocommit": True, "connect_timeout": self.connect_timeout_s},
                timeout=self.connect_timeout_s * 2,
                check=self._check_if_idle,
                reset=self._note_returned,
                open=False,
            )
            await self._pool.open()
        return self._pool

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[psycopg.AsyncConnection[tuple[Any, ...]]]:
        pool = await self._opened()
        try:
            async with pool.connection() as connection:
                yield connection
        except PoolTimeout as exc:
            raise UnavailableError(f"no connection within {pool.timeout} s") from exc

    async def aclose(self) -> None:
        if self._pool is not None:
            pool, self._pool = self._pool, None
            await pool.close()


class PostgresReader:
    def __init__(self, url: str, query: str, connections: int = 1) -> None:
        self.connections = PgConnections(url, connections)
        self.query = query

    async def current(self) -> int:
        try:
            async with self.connections.connection() as connection:
                cursor = await connection.execute(self.query)
                row = await cursor.fetchone()
        except psycopg.Error as exc:
            raise UnavailableError(str(exc)) from exc
        if row is None:
            raise UnavailableError("no row: is the schema migrated?")
        return int(row[0])

    async def aclose(self) -> None:
        await self.connections.aclose()


_NAMED = re.compile(r"(?<![:\w]):(\w+)")


class PostgresRows:
    """Single rows by key over a few autocommit connections of their own (a round trip each);
    the reads of one answer on one connection (`held`)."""

    def __init__(self, url: str, connections: int) -> None:
        self.connections = PgConnections(url, connections)
        self._converted: dict[str, str] = {}
        self._held: ContextVar[psycopg.AsyncConnection[tuple[Any, ...]] | None] = ContextVar(
            f"vpr_rows_held_{id(self)}", default=None
        )

    @asynccontextmanager
    async def held(self) -> AsyncIterator[object]:
        if self._held.get() is not None:
            yield None
            return
        async with self.connections.connection() as connection:
            token = self._held.set(connection)
            try:
                yield None
            finally:
                self._held.reset(token)

    async def row(self, sql: str, params: dict[str, Any] | None = None) -> tuple[Any, ...] | None:
        found = await self._read(sql, params, many=False)
        return found[0] if found else None

    async def rows(self, sql: str, params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
        return await self._read(sql, params, many=True)

    async def _read(
        self, sql: str, params: dict[str, Any] | None, *, many: bool
    ) -> list[tuple[Any, ...]]:
        query = self._converted.get(sql)
        if query is None:  # `:name` as psycopg names it; `::type` casts are left alone
            query = self._converted[sql] = _NAMED.sub(r"%(\1)s", sql.replace("%", "%%"))
        try:
            held = self._held.get()
            if held is not None:
                return await _fetched(held, query, params, many=many)
            async with self.connections.connection() as connection:
                return await _fetched(connection, query, params, many=many)
        except psycopg.Error as exc:
            raise UnavailableError(str(exc)) from exc

    async def aclose(self) -> None:
        await self.connections.aclose()


async def _fetched(
    connection: psycopg.AsyncConnection[tuple[Any, ...]],
    query: str,
    params: dict[str, Any] | None,
    *,
    many: bool,
) -> list[tuple[Any, ...]]:
    # Binary results: a stored document's bytea arrives as its bytes, where text format sent it
    # hex-encoded, twice its size, to be decoded (+10-18% on cold details and update lists).
    cursor = await connection.execute(query, params or {}, binary=True)
    if many:
        return await cursor.fetchall()
    found = await cursor.fetchone()
    return [] if found is None else [found]


_HIT = """
INSERT INTO rate_limit_hit (bucket, "window", hits) VALUES (%s, %s, 1)
ON CONFLICT (bucket, "window") DO UPDATE SET hits = rate_limit_hit.hits + 1
RETURNING hits
"""


class PostgresCounter:
    """Hits per (bucket, window) in a table that every instance writes to."""

    def __init__(self, database_url: str) -> None:
        self.connections = PgConnections(libpq_url(database_url), size=2)
        self._pruned_before = -1

    async def hit(self, bucket: str, window: int, window_s: int) -> int:
        async with self.connections.connection() as connection:
            if window > self._pruned_before:  # once per window and instance: drop old rows
                await connection.execute('DELETE FROM rate_limit_hit WHERE "window" < %s', [window])
                self._pruned_before = window
            cursor = await connection.execute(_HIT, [bucket, window])
            row = await cursor.fetchone()
        assert row is not None  # noqa: S101 - RETURNING always yields the row
        return int(row[0])

    async def aclose(self) -> None:
        await self.connections.aclose()
