"""The async PostgreSQL connections (the change clock's reader, the shared rate-limit counter):
a task cancelled while it holds a connection gives it back, so later callers never block on a
connection nobody holds (issue 13: with the hand-written pool, two cancellations left the third
caller waiting for ever)."""

import asyncio
import contextlib

import psycopg

from app.engines.base import UnavailableError
from app.engines.postgres_connections import PgConnections, PostgresRows, libpq_url
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


HELD_READERS = 4  # answers at once, each holding a connection for its reads


async def _answers_held_at_once(url: str) -> list[set[int]]:
    """Each task reads three times within `held`, the others reading meanwhile; the backends
    each task's reads ran on."""
    rows = PostgresRows(url, connections=2)
    seen: list[set[int]] = []

    async def answer() -> None:
        async with rows.held(), rows.held():  # nested: the outer one's connection
            pids = set()
            for _ in range(3):
                (pid,) = await rows.row("SELECT pg_backend_pid()") or (None,)
                pids.add(pid)
                await asyncio.sleep(0)  # let the other answers read in between
            seen.append(pids)

    try:
        async with asyncio.timeout(10):
            await asyncio.gather(*(answer() for _ in range(HELD_READERS)))
            with contextlib.suppress(UnavailableError):  # a failed read gives the connection back
                async with rows.held():
                    await rows.row("SELECT * FROM no_such_table")
            assert await rows.row("SELECT 1") == (1,)  # nothing held is left behind
    finally:
        await rows.aclose()
    return seen


def test_the_reads_of_one_answer_share_one_connection_and_give_it_back():
    """More answers than connections: each answer's reads on one backend, and every
    connection returned (the last read would wait for ever on a connection still held)."""
    seen = asyncio.run(_answers_held_at_once(_reachable()))
    assert len(seen) == HELD_READERS
    assert all(len(pids) == 1 for pids in seen), seen
