"""bench.generate's stored documents (each company's, each submitted update's), rendered by one
process per core and stored by the one that loaded the rows: rendering (pydantic, in Python)
was half of generating 100,000 companies on PostgreSQL (81 of 169 s), one core busy and the
other idle.

The workers read what the loading transaction committed, each with an engine of its own (made
after they start: a connection is never shared across processes); the rows they render come
back to be inserted in the caller's transaction.
"""

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.companies import documents
from app.core.config import get_settings
from app.core.db import build_engine
from app.updates import documents as update_documents

CHUNK = 1000  # rows per task: a few MB of rendered documents to send back
_engine: Engine | None = None
Rows = list[dict[str, Any]]


def _start() -> None:
    global _engine  # noqa: PLW0603 - one engine per worker process
    _engine = build_engine(get_settings())


def _render(task: tuple[str, list[int]]) -> Rows:
    kind, ids = task
    assert _engine is not None  # noqa: S101 - set by _start in this process
    render = documents.rendered if kind == "company" else update_documents.rendered
    with Session(_engine) as session:
        return render(session, ids)


class Renderers:
    def __init__(self, pool: Any) -> None:
        self.pool = pool

    def store(
        self,
        kind: str,
        ids: Sequence[int],
        insert: Callable[[Rows], None],
        done: Callable[[int], None],
    ) -> int:
        """The documents of `kind` (company, update) for these ids, rendered in parallel and
        stored by `insert` (in the caller's transaction); `done` hears how many so far."""
        tasks = [(kind, list(ids[start : start + CHUNK])) for start in range(0, len(ids), CHUNK)]
        stored = 0
        for rows in self.pool.imap(_render, tasks):
            if rows:
                insert(rows)
            stored += len(rows)
            done(stored)
        return stored


@contextmanager
def renderers() -> Iterator[Renderers]:
    """One worker per core (spawned, not forked: a forked child would inherit, and on exit
    close, the parent's connections)."""
    context = multiprocessing.get_context("spawn")
    with context.Pool(processes=os.cpu_count() or 1, initializer=_start) as pool:
        yield Renderers(pool)
