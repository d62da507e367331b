"""What each database engine provides: the small protocol services call instead of branching."""

import asyncio
from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import ColumnElement, Connection, Engine, Table
from sqlalchemy.orm import Session

from app.core.config import Settings


class UnsupportedError(Exception):
    """What was asked has no meaning on this database engine."""


class UnavailableError(Exception):
    """The database could not answer a read made outside the ORM's pool."""


class ScalarReader(Protocol):
    """Reads one integer from async code without touching the ORM's sync pool."""

    async def current(self) -> int: ...

    async def aclose(self) -> None: ...


class RowReader(Protocol):
    """Reads one row by an indexed key from async code, without the ORM's pool or a worker
    thread: what every request asks first (its key, the change clock, a stored document).
    `sql` names its parameters `:name`; values come back as the driver gives them."""

    async def row(
        self, sql: str, params: dict[str, Any] | None = None
    ) -> tuple[Any, ...] | None: ...

    async def rows(self, sql: str, params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
        """Every row of a short, indexed read (a page of stored list items)."""
        ...

    def held(self) -> AbstractAsyncContextManager[object]:
        """Within it, this task's reads share one connection, taken once (where a pool lends
        connections, a checkout per read cost a fifth of a listed page's time)."""
        ...

    async def aclose(self) -> None: ...


class CoalescedReader:
    """One read in flight at a time, shared by every request that arrived before it began.

    Each request still gets a value read after it arrived (so a write acknowledged before the
    request is always seen), but under load one read serves many requests: on PostgreSQL
    instead of each queueing for a connection of its own; on SQLite instead of each running its
    own statement (a cached 304 at 20,000 companies: 6,600-9,400 -> 11,700-12,400 req/s).
    """

    def __init__(self, reader: ScalarReader) -> None:
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


class SharedCounter(Protocol):
    """Counts hits in fixed windows (the rate limiter's counter stores all have this shape)."""

    async def hit(self, bucket: str, window: int, window_s: int) -> int:
        """Count one hit in this window; return the hits so far, this one included."""
        ...

    async def aclose(self) -> None: ...


@dataclass(frozen=True)
class SearchTarget:
    """What a full-text search looks in: rows identified by `key`, ranked by `document`.

    `fts_table` is the SQLite FTS5 table whose rowid is `key` (it indexes every text of the row);
    `related` are other texts, each with the column holding `key`, that also make the row match
    (PostgreSQL searches them through their own expression indexes).
    """

    key: Any  # a column (ORM attributes type as Mapped, not as ColumnElement)
    document: Any
    fts_table: str
    related: tuple[tuple[Any, Any], ...] = field(default=())


def _by_key(_session: Session) -> None:
    return None


@dataclass(frozen=True)
class TextMatch:
    """A WHERE condition, a rank (higher is better) and, on SQLite, the FTS table to join.

    `newest_first(session)` says how to read the newest matches first: the column whose
    descending order the engine reads from an index (None: the target's key, as is), or the
    key made unindexable (`key + 0`) when reading every match and sorting them is cheaper.
    """

    condition: ColumnElement[bool]
    rank: ColumnElement[float]
    join: tuple[Any, ColumnElement[bool]] | None = None
    newest_first: Callable[[Session], Any] = _by_key


References = list[tuple[str, str, str]]  # foreign keys dropped: table, name, definition


class DatabaseEngine(Protocol):
    name: str

    def create_engine(self, settings: Settings) -> Engine:
        """The SQLAlchemy engine with this database's connection settings."""
        ...

    def scalar_reader(self, database_url: str, query: str) -> ScalarReader:
        """A cheap async reader of `query`'s single integer (the change clock)."""
        ...

    def row_reader(self, database_url: str) -> RowReader:
        """The async reader of single rows by key (see RowReader)."""
        ...

    def shared_counter(self, database_url: str) -> SharedCounter | None:
        """Counters every instance shares, or None where one instance is all there is."""
        ...

    def text_match(self, target: SearchTarget, q: str) -> TextMatch | None:
        """Rows of `target` matching the words of `q`; None when `q` has no searchable word."""
        ...

    def snapshot(self, engine: Engine) -> AbstractContextManager[Connection]:
        """A connection in one transaction that sees one consistent state of every table."""
        ...

    def schema_change(self, engine: Engine) -> AbstractContextManager[Connection]:
        """A connection in one transaction for migrating the schema."""
        ...

    def after_bulk_load(self, connection: Connection, tables: Sequence[Table]) -> None:
        """Make generated ids continue after rows inserted with explicit ids (a restore)."""
        ...

    def drop_references(self, connection: Connection, tables: Sequence[str]) -> References:
        """For a bulk load into a database no one else uses yet: the foreign keys of `tables`
        that the engine would check row by row, dropped (those it checks cheaply stay)."""
        ...

    def restore_references(self, connection: Connection, dropped: References) -> None:
        """The keys `drop_references` dropped, made again, each checked over its whole table:
        a row that breaks one fails the transaction, as it would have row by row."""
        ...

    def grant_to_app_role(self, connection: Connection, role: str) -> None:
        """Let `role` (the one `vpr serve` connects as) read and write the registry's rows and
        nothing more: it owns no table, so it cannot alter one or switch off its triggers."""
        ...


# Set on the connection of a write transaction, so that an engine can take its write lock up front.
WRITE_OPTION = "vpr_write"
