"""SQLite: one file, one writer at a time, FTS5 for search, counters in the process."""

import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import AbstractAsyncContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Connection, Engine, Float, Integer, MetaData, Table, event, text
from sqlalchemy import create_engine as sa_create_engine
from sqlalchemy.engine import make_url

from app.core.config import Settings
from app.engines.base import (
    WRITE_OPTION,
    CoalescedReader,
    References,
    ScalarReader,
    SearchTarget,
    SharedCounter,
    TextMatch,
    UnavailableError,
    UnsupportedError,
)

WORD = re.compile(r"\w+", re.UNICODE)
# FTS5 tables are made by their migration, outside the app's metadata (Alembic must not manage
# them); these stand-ins only name their rowid and rank.
_fts_tables = MetaData()


def fts5_query(q: str) -> str | None:
    """Words of the query as quoted FTS5 terms (AND), so no operator can be injected."""
    words = WORD.findall(q)
    return " ".join(f'"{w}"' for w in words) or None


def _fts_table(name: str) -> Table:
    if name not in _fts_tables.tables:
        Table(name, _fts_tables, Column("rowid", Integer), Column("rank", Float))
    return _fts_tables.tables[name]


class SqliteReader:
    """A dedicated in-process connection: a read costs microseconds."""

    def __init__(self, path: str, query: str) -> None:
        self.path, self.query = path, query
        self._connection: sqlite3.Connection | None = None

    async def current(self) -> int:
        try:
            if self._connection is None:
                self._connection = sqlite3.connect(self.path, check_same_thread=False)
            row = self._connection.execute(self.query).fetchone()
        except sqlite3.Error as exc:
            self._connection = None
            raise UnavailableError(str(exc)) from exc
        if row is None:
            raise UnavailableError("no row: is the schema migrated?")
        return int(row[0])

    async def aclose(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


class SqliteRows:
    """Single rows by key, read on the event loop itself: an indexed lookup in an in-process
    file takes microseconds, less than handing it to a worker thread would. One connection is
    enough, as nothing else runs on the loop while it reads. In WAL mode a reader never waits
    for the writer; the short timeout only bounds a rare wait for the WAL index."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._connection: sqlite3.Connection | None = None

    async def row(self, sql: str, params: dict[str, Any] | None = None) -> tuple[Any, ...] | None:
        found: tuple[Any, ...] | None = self._execute(sql, params).fetchone()
        return found

    async def rows(self, sql: str, params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
        return self._execute(sql, params).fetchall()

    def held(self) -> AbstractAsyncContextManager[object]:
        return nullcontext()  # one connection already

    def _execute(self, sql: str, params: dict[str, Any] | None) -> sqlite3.Cursor:
        try:
            if self._connection is None:
                self._connection = sqlite3.connect(self.path, timeout=0.5, check_same_thread=False)
            return self._connection.execute(sql, params or {})
        except sqlite3.Error as exc:
            self._connection = None
            raise UnavailableError(str(exc)) from exc

    async def aclose(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def _configure(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, issue BEGIN so SAVEPOINTs work (SQLAlchemy's recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A write transaction takes the write lock up front: a deferred one that reads and then
        # writes fails at once (SQLITE_BUSY) if another writer committed in between.
        immediate = conn.get_execution_options().get(WRITE_OPTION)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class SqliteEngine:
    name = "sqlite"

    def create_engine(self, settings: Settings) -> Engine:
        database = make_url(settings.database_url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = sa_create_engine(
            settings.database_url,
            connect_args={"check_same_thread": False},
            pool_size=settings.db_pool_size,
            max_overflow=settings.db_max_overflow,
            pool_timeout=settings.db_pool_timeout_s,
        )
        _configure(engine, settings.sqlite_busy_timeout_ms)
        return engine

    def scalar_reader(self, database_url: str, query: str) -> ScalarReader:
        return CoalescedReader(SqliteReader(make_url(database_url).database or "", query))

    def row_reader(self, database_url: str) -> SqliteRows:
        return SqliteRows(make_url(database_url).database or "")

    def shared_counter(self, database_url: str) -> SharedCounter | None:
        return None  # one instance per file: its own memory is shared enough

    def text_match(self, target: SearchTarget, q: str) -> TextMatch | None:
        terms = fts5_query(q)
        if terms is None:
            return None
        fts = _fts_table(target.fts_table)
        condition = text(f"{target.fts_table} MATCH :terms").bindparams(terms=terms)
        # FTS5's bm25 rank is lower for better matches. Newest first: along the FTS table's own
        # rowid, which it reads in order (SQLite does not carry the order across the join's
        # equality, and sorted every match by the key, computing every rank).
        return TextMatch(
            condition,  # type: ignore[arg-type]
            -fts.c.rank,
            (fts, fts.c.rowid == target.key),
            newest_first=lambda _session: fts.c.rowid,
        )

    @contextmanager
    def snapshot(self, engine: Engine) -> Iterator[Connection]:
        # A SQLite read transaction sees one state of the file until it ends (WAL).
        with engine.connect() as connection, connection.begin():
            yield connection

    @contextmanager
    def schema_change(self, engine: Engine) -> Iterator[Connection]:
        """Batch migrations rebuild tables, which foreign keys would refuse midway: they are
        switched off for the migration (a PRAGMA that only works outside a transaction) and
        every reference is checked before the transaction commits."""
        with engine.connect() as connection:
            raw: Any = connection.connection.dbapi_connection
            raw.execute("PRAGMA foreign_keys=OFF")
            try:
                with connection.begin():
                    yield connection
                    if connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                        raise RuntimeError("migration left rows whose foreign keys point nowhere")
            finally:
                raw.execute("PRAGMA foreign_keys=ON")

    def after_bulk_load(self, connection: Connection, tables: Sequence[Table]) -> None:
        """SQLite's rowids continue after the largest id by themselves."""

    def drop_references(self, connection: Connection, tables: Sequence[str]) -> References:
        """None: SQLite checks a reference by the referenced key's index, cheaply, as rows go
        in (and a table's foreign keys are part of its definition, not dropped apart)."""
        return []

    def restore_references(self, connection: Connection, dropped: References) -> None:
        """Nothing was dropped."""

    def grant_to_app_role(self, connection: Connection, role: str) -> None:
        raise UnsupportedError(
            "SQLite has no database roles: the file's own permissions decide who may change it."
        )
