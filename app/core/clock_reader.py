"""Reading the change clock from async code without touching the ORM's sync pool.

The response cache asks for the data version on every anonymous GET, so this read must be
cheap: SQLite answers from a dedicated in-process connection in microseconds; PostgreSQL from
a few autocommit async connections of psycopg's own.
"""

import asyncio
import sqlite3
from typing import Protocol

import psycopg
from sqlalchemy.engine import make_url

from app.core.pg_async import PgConnections, libpq_url

CLOCK_QUERY = "SELECT value FROM change_clock WHERE id = 1"


class ClockUnavailableError(Exception):
    pass


class ClockReader(Protocol):
    async def current(self) -> int: ...

    async def aclose(self) -> None: ...


class SqliteClock:
    def __init__(self, path: str) -> None:
        self.path = path
        self._connection: sqlite3.Connection | None = None

    async def current(self) -> int:
        try:
            if self._connection is None:
                self._connection = sqlite3.connect(self.path, check_same_thread=False)
            row = self._connection.execute(CLOCK_QUERY).fetchone()
        except sqlite3.Error as exc:
            self._connection = None
            raise ClockUnavailableError(str(exc)) from exc
        if row is None:
            raise ClockUnavailableError("no change clock: is the schema migrated?")
        return int(row[0])

    async def aclose(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


class PostgresClock:
    def __init__(self, url: str, connections: int = 4) -> None:
        self.connections = PgConnections(url, connections)

    async def current(self) -> int:
        try:
            async with self.connections.connection() as connection:
                cursor = await connection.execute(CLOCK_QUERY)
                row = await cursor.fetchone()
        except psycopg.Error as exc:
            raise ClockUnavailableError(str(exc)) from exc
        if row is None:
            raise ClockUnavailableError("no change clock: is the schema migrated?")
        return int(row[0])

    async def aclose(self) -> None:
        await self.connections.aclose()


def clock_for(database_url: str) -> ClockReader:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        return SqliteClock(url.database or "")
    return CoalescedClock(PostgresClock(libpq_url(database_url), connections=1))


class CoalescedClock:
    """One clock read in flight at a time, shared by every request that arrived before it began.

    Each request still gets a value read after it arrived (so a write acknowledged before the
    request is always seen), but under load one query serves many requests instead of each
    request queueing for a connection of its own.
    """

    def __init__(self, inner: ClockReader) -> None:
        self.inner = inner
        self._next: asyncio.Future[int] | None = None
        self._reading = False

    async def current(self) -> int:
        loop = asyncio.get_running_loop()
        if self._next is None:
            self._next = loop.create_future()
        waiting = self._next
        if not self._reading:
            self._reading = True
            loop.create_task(self._read_for_waiters())  # noqa: RUF006 - it resolves `waiting`
        return await asyncio.shield(waiting)

    async def _read_for_waiters(self) -> None:
        try:
            while self._next is not None:
                batch, self._next = self._next, None  # all of them arrived before this read
                try:
                    batch.set_result(await self.inner.current())
                except Exception as exc:
                    batch.set_exception(exc)
        finally:
            self._reading = False

    async def aclose(self) -> None:
        await self.inner.aclose()
