"""bench.generate's stored documents (each company's, each submitted update's), rendered and
stored by one process per core: rendering (pydantic, in Python) was half of generating 100,000
companies on PostgreSQL (81 of 169 s), one core busy and the other idle; sending the rendered
rows back to one loader cost as much again (pickling, then COPY from one process).

The workers read what the loading transaction committed, each with an engine of its own (made
after they start: a connection is never shared across processes), and store each chunk in a
transaction of their own (on SQLite one that takes the write lock up front, so they queue).
A run cut short leaves some documents missing, which `vpr migrate` renders.
"""

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.companies import documents
from app.core.config import get_settings
from app.core.db import build_engine, columns_of
from app.engines.base import WRITE_OPTION
from app.updates import documents as update_documents
from app.updates.models import UpdateDocument, UpdateRestrictedDocument

CHUNK = 1000  # documents per task
_engine: Engine | None = None
# What each kind renders, and the tables its rows fill (each takes its own columns).
KINDS: dict[str, tuple[Callable[[Session, list[int]], list[dict[str, Any]]], tuple[Any, ...]]] = {
    "company": (documents.rendered, tuple(table.__table__ for table in documents.TABLES)),  # type: ignore[union-attr]
    "update": (
        update_documents.rendered,
        (UpdateDocument.__table__, UpdateRestrictedDocument.__table__),  # type: ignore[attr-defined]
    ),
}


def insert(connection: Connection, table: Any, batch: list[dict[str, Any]]) -> None:
    """PostgreSQL takes COPY, several times faster than INSERT; SQLite takes executemany."""
    if connection.dialect.name != "postgresql":
        connection.execute(table.insert(), batch)
        return
    columns = list(batch[0])
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    names = ", ".join(columns)
    with cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
        for row in batch:
            copy.write_row([row[c] for c in columns])


def _start() -> None:
    global _engine  # noqa: PLW0603 - one engine per worker process
    _engine = build_engine(get_settings())


def _store(task: tuple[str, list[int]]) -> int:
    kind, ids = task
    render, tables = KINDS[kind]
    assert _engine is not None  # noqa: S101 - set by _start in this process
    with Session(_engine) as session:
        rows = render(session, ids)
    if rows:
        writing = _engine.connect().execution_options(**{WRITE_OPTION: True})
        with writing as connection, connection.begin():
            for table in tables:
                insert(connection, table, columns_of(table, rows))
    return len(rows)


class Renderers:
    def __init__(self, pool: Any) -> None:
        self.pool = pool

    def begin(self, kind: str, ids: Sequence[int]) -> Iterator[int]:
        """Start rendering and storing the documents of `kind` (company, update) for these ids
        in parallel; what `store` then waits on."""
        tasks = [(kind, list(ids[start : start + CHUNK])) for start in range(0, len(ids), CHUNK)]
        started: Iterator[int] = self.pool.imap_unordered(_store, tasks)
        return started

    def store(
        self,
        kind: str,
        ids: Sequence[int],
        done: Callable[[int], None],
        started: Iterator[int] | None = None,
    ) -> int:
        """The documents of `kind` for these ids, rendered and stored in parallel (or those
        `begin` started); `done` hears how many are stored so far. How many."""
        stored = 0
        for count in started if started is not None else self.begin(kind, ids):
            stored += count
            done(stored)
        return stored


@contextmanager
def renderers() -> Iterator[Renderers]:
    """One worker per core (spawned, not forked: a forked child would inherit, and on exit
    close, the parent's connections)."""
    context = multiprocessing.get_context("spawn")
    with context.Pool(processes=os.cpu_count() or 1, initializer=_start) as pool:
        yield Renderers(pool)
