"""The change clock: advanced by every write (see models.py for why it gives commit order), read
by every GET to say which data version an answer was made at.

This module owns the clock's SQL. Sync code reads it through its session; async code (the
response cache, conditional GETs) through an engine's cheap scalar reader, coalesced.
"""

import asyncio

from sqlalchemy import text, update
from sqlmodel import Session, col

from app import engines
from app.changes.models import ChangeClock
from app.engines.base import ScalarReader, UnavailableError

CLOCK_QUERY = "SELECT value FROM change_clock WHERE id = 1"


class ClockUnavailableError(UnavailableError):
    """The clock could not be read (the database is down or not migrated)."""


def advance(session: Session) -> int:
    """The next sequence number; the clock row stays locked until this transaction ends."""
    statement = (
        update(ChangeClock)
        .where(col(ChangeClock.id) == 1)
        .values(value=col(ChangeClock.value) + 1)
        .returning(col(ChangeClock.value))
    )
    return int(session.execute(statement).scalar_one())


def current(session: Session) -> int:
    return int(session.execute(text(CLOCK_QUERY)).scalar_one())


# Anything that reads the clock's current value from async code.
ClockReader = ScalarReader


class CoalescedClock:
    """One clock read in flight at a time, shared by every request that arrived before it began.

    Each request still gets a value read after it arrived (so a write acknowledged before the
    request is always seen), but under load one query serves many requests instead of each
    request queueing for a connection of its own.
    """

    def __init__(self, reader: ClockReader) -> None:
        self.reader = reader
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
                    batch.set_result(await self.reader.current())
                except Exception as exc:
                    batch.set_exception(exc)
        finally:
            self._reading = False

    async def aclose(self) -> None:
        await self.reader.aclose()


def clock_for(database_url: str) -> ClockReader:
    """The async clock of this database (each read coalesced with the others in flight)."""
    return CoalescedClock(engines.for_url(database_url).scalar_reader(database_url, CLOCK_QUERY))
