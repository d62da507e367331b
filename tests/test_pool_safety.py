"""The async PostgreSQL connections (the change clock's reader, the shared rate-limit counter):
a task cancelled while it holds a connection gives it back, so later callers never block on a
connection nobody holds (issue 13: with the hand-written pool, two cancellations left the third
caller waiting for ever)."""

import asyncio
import contextlib

import psycopg

from app.engines.postgres import PgConnections, libpq_url
from tests.databases import POSTGRES_ADMIN_URL, _postgres_unreachable

CANCELLED_HOLDERS = 3


def _reachable() -> str:
    try:
        with psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=2):
            pass
    except psycopg.OperationalError as exc:
        _postgres_unreachable(str(exc))
    return libpq_url(POSTGRES_ADMIN_URL)


async def _cancel_holders_then_ask(url: str) -> tuple[int, ...] | None:
    connections = PgConnections(url, size=1)

    async def hold(holding: asyncio.Event) -> None:
        async with connections.connection() as connection:
            holding.set()
            await connection.execute("SELECT pg_sleep(30)")

    try:
        for _ in range(CANCELLED_HOLDERS):  # one connection, cancelled holder after holder
            holding = asyncio.Event()
            task = asyncio.create_task(hold(holding))
            await holding.wait()
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        async with asyncio.timeout(10), connections.connection() as connection:
            cursor = await connection.execute("SELECT 1")
            return await cursor.fetchone()
    finally:
        await connections.aclose()


def test_a_cancelled_holder_gives_its_connection_back():
    assert asyncio.run(_cancel_holders_then_ask(_reachable())) == (1,)
