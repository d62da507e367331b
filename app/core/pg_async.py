"""A few autocommit psycopg connections for async code that must not use the ORM's sync pool."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import psycopg
from sqlalchemy.engine import make_url


def libpq_url(database_url: str) -> str:
    """The SQLAlchemy URL as psycopg itself takes it (no +driver suffix)."""
    url = make_url(database_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


class PgConnections:
    """Opens up to `size` connections lazily; a connection that failed is dropped, not reused,
    so that the next use reconnects (after a PostgreSQL restart, say)."""

    def __init__(self, url: str, size: int = 1, connect_timeout_s: int = 2) -> None:
        self.url = url
        self.size = size
        self.connect_timeout_s = connect_timeout_s
        self._idle: asyncio.Queue[psycopg.AsyncConnection] | None = None
        self._opened = 0

    async def _take(self) -> psycopg.AsyncConnection:
        if self._idle is None:
            self._idle = asyncio.Queue()
        if self._idle.empty() and self._opened < self.size:
            self._opened += 1
            try:
                return await psycopg.AsyncConnection.connect(
                    self.url, autocommit=True, connect_timeout=self.connect_timeout_s
                )
            except psycopg.Error:
                self._opened -= 1
                raise
        return await self._idle.get()

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[psycopg.AsyncConnection]:
        connection = await self._take()
        try:
            yield connection
        except psycopg.Error:
            self._opened -= 1
            await connection.close()
            raise
        assert self._idle is not None  # noqa: S101 - created by _take
        self._idle.put_nowait(connection)

    async def aclose(self) -> None:
        while self._idle is not None and not self._idle.empty():
            await self._idle.get_nowait().close()
        self._idle, self._opened = None, 0
