"""bench.generate's company documents, rendered by one process per core and stored by the one
that loaded the rows: rendering (pydantic, in Python) was half of generating 100,000 companies
on PostgreSQL (81 of 169 s), one core busy and the other idle.

The workers read what the loading transaction committed, each with an engine of its own (made
after they start: a connection is never shared across processes); the rows they render come
back to be inserted in the caller's transaction.
"""

import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.companies import documents
from app.core.config import get_settings
from app.core.db import build_engine

CHUNK = 1000  # companies per task: a few MB of rendered rows to send back
_engine: Engine | None = None


def _start() -> None:
    global _engine  # noqa: PLW0603 - one engine per worker process
    _engine = build_engine(get_settings())


def _render(company_ids: list[int]) -> list[dict[str, Any]]:
    assert _engine is not None  # noqa: S101 - set by _start in this process
    with Session(_engine) as session:
        return documents.rendered(session, company_ids)


def store_all(
    insert: Callable[[list[dict[str, Any]]], None],
    company_ids: Sequence[int],
    done: Callable[[int], None],
) -> int:
    """Every listed company's document, rendered in parallel from committed rows and stored by
    `insert` (in the caller's transaction); `done` hears how many are stored so far. How many."""
    chunks = [
        list(company_ids[start : start + CHUNK]) for start in range(0, len(company_ids), CHUNK)
    ]
    stored = 0
    # spawn, not fork: a forked child would inherit (and on exit close) the parent's connections.
    context = multiprocessing.get_context("spawn")
    with context.Pool(processes=os.cpu_count() or 1, initializer=_start) as pool:
        for rows in pool.imap(_render, chunks):
            if rows:
                insert(rows)
            stored += len(rows)
            done(stored)
    return stored
