"""Fill a migrated, seeded registry with synthetic companies, endorsement histories and updates.

    python -m bench.generate --companies 100000 [--entries-per-company 10]

Uses VPR_DATABASE_URL, a database no one else uses yet. Rows go in through SQLAlchemy Core in
large batches inside one transaction, their foreign keys checked once at its end (on
PostgreSQL); the change clock is advanced once at the end so every cached answer is dropped.
"""

import argparse
import functools
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from sqlalchemy import Connection, func, select, text
from sqlmodel import col

from app import engines
from app.changes.models import ChangeClock
from app.companies.models import (
    Company,
    CompanyFormerName,
    CompanySector,
)
from app.core.config import get_settings
from app.core.db import build_engine
from app.endorsements import status
from app.endorsements.models import EndorsementEvent
from app.principles.models import FrameworkVersion, Principle
from app.updates import published
from app.updates.models import (
    ImplementationUpdate,
    UpdateEntry,
)
from bench import documents as bench_documents
from bench import synthetic

BATCH = 20_000
# The tables written in bulk: their references are checked once, at the end of each part.
_HISTORY = [
    "company", "company_sector", "company_former_name", "endorsement_event",
    "implementation_update", "update_entry",
]  # fmt: skip
_READ_MODEL = ["company_status", "stat_contribution", "published_status", "restricted_status"]


def _next_id(connection: Connection, model: Any) -> int:
    return int(connection.execute(select(func.coalesce(func.max(model.id), 0))).scalar_one()) + 1


def _batches(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def generate(companies: int, entries_per_company: int, seed: int = 7) -> dict[str, int]:
    engine = build_engine(get_settings())
    counts: dict[str, int] = {}
    with engine.begin() as connection, _progress() as progress:
        history = engines.of(connection).drop_references(connection, _HISTORY)
        company_ids, update_ids = _load(
            connection, progress, counts, companies, entries_per_company, seed
        )
        engines.of(connection).restore_references(connection, history)
        # Dropped now, not while the documents below are read: dropping locks what they read.
        read_model = engines.of(connection).drop_references(connection, _READ_MODEL)
    # Committed: the documents are rendered and stored from these rows by other processes. On
    # PostgreSQL the updates' begin at once, while the read model (which the companies'
    # documents show, and which keeps the database, not this process, busy) is built; SQLite
    # has one writer, so there they wait for it.
    overlapping = engine.dialect.name == "postgresql"
    with bench_documents.renderers() as renderers:
        early = renderers.begin("update", update_ids) if overlapping else None
        with engine.begin() as connection, _progress() as progress:
            task = progress.add_task("read model", total=2)
            status.rebuild(connection)  # what readers need, from the history just written
            published.rebuild(connection)
            progress.update(task, completed=1)
            engines.of(connection).restore_references(connection, read_model)
            progress.update(task, completed=2)
        with _progress() as progress:
            for kind, ids in (("update", update_ids), ("company", company_ids)):
                task = progress.add_task(f"{kind} documents", total=len(ids))
                done = functools.partial(_completed, progress, task)
                started = early if kind == "update" else None
                counts[f"{kind} documents"] = renderers.store(kind, ids, done, started)
    with engine.begin() as connection:
        # One change, everyone's; both lists' orders moved (the documents went in directly).
        moved = ("value", "public_value", "company_order", "update_order")
        clock_row = ChangeClock.__table__  # type: ignore[attr-defined]
        connection.execute(clock_row.update().values({c: clock_row.c[c] + 1 for c in moved}))
        if connection.dialect.name == "postgresql":
            _reset_sequences(connection)
    # Planner statistics for the new volume; on PostgreSQL also the visibility map, as autovacuum
    # would soon make it (index-only scans, such as counting status rows, need it).
    command = "VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"
    with (
        _progress() as progress,
        engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection,
    ):
        task = progress.add_task(command, total=1)
        connection.execute(text(command))
        progress.update(task, completed=1)
    engine.dispose()
    return counts


def _load(
    connection: Connection,
    progress: Progress,
    counts: dict[str, int],
    companies: int,
    entries_per_company: int,
    seed: int,
) -> tuple[range, range]:
    """The synthetic history; the companies' and the updates' ids."""
    rng = random.Random(seed)
    version_id = int(
        connection.execute(
            select(col(FrameworkVersion.id)).order_by(col(FrameworkVersion.published_on).desc())
        ).scalar_one()
        or 0
    )
    principles: list[int] = [
        pid
        for pid in connection.execute(
            select(col(Principle.id)).where(col(Principle.framework_version_id) == version_id)
        ).scalars()
        if pid is not None
    ]
    first = {
        m.__tablename__: _next_id(connection, m)
        for m in (Company, CompanyFormerName, EndorsementEvent, ImplementationUpdate, UpdateEntry)
    }

    def load(label: str, model: Any, rows: Iterator[dict[str, Any]], total: int) -> None:
        task = progress.add_task(label, total=total)
        written = 0
        for batch in _batches(rows):
            bench_documents.insert(connection, model.__table__, batch)
            written += len(batch)
            progress.update(task, completed=written)
        counts[label] = written

    company_ids = range(first["company"], first["company"] + companies)
    update_ids = range(first["implementation_update"], first["implementation_update"] + companies)
    load("companies", Company, synthetic.companies(rng, company_ids), companies)
    load("sectors", CompanySector, synthetic.sectors(rng, company_ids), companies * 2)
    former = synthetic.former_names(rng, company_ids, first)
    load("former names", CompanyFormerName, former, companies // 10)
    events = synthetic.events(rng, company_ids, version_id, first)
    load("endorsement events", EndorsementEvent, events, companies)
    updates = synthetic.updates(company_ids, update_ids, version_id)
    load("updates", ImplementationUpdate, updates, companies)
    with _indexed_at_the_end(connection, "update_entry_fts_ai", _INDEX_ENTRIES, first):
        entries = synthetic.entries(
            rng, update_ids, version_id, principles, entries_per_company, first
        )
        load("update entries", UpdateEntry, entries, companies * entries_per_company)
    return company_ids, update_ids


_PG_TEXT_INDEX = "ix_fts_update_entry_vector"
# What the SQLite trigger does per row, for every loaded row in one statement.
_INDEX_ENTRIES = (
    "INSERT INTO update_entry_fts(rowid, narrative) "
    "SELECT id, narrative FROM update_entry WHERE id >= :first"
)


@contextmanager
def _indexed_at_the_end(
    connection: Connection, trigger: str, index_rows: str, first: dict[str, int]
) -> Iterator[None]:
    """SQLite: the full-text trigger is dropped while the rows load, the loaded rows indexed in
    one statement after, and the trigger made again as the schema has it. PostgreSQL: its GIN
    index on the entries' text is dropped and built again after the load, as the schema has it
    (one build instead of an index insertion per row; measured: see the README's Performance)."""
    if connection.dialect.name == "postgresql":
        made = connection.execute(
            text("SELECT pg_get_indexdef(CAST(:name AS regclass))"), {"name": _PG_TEXT_INDEX}
        ).scalar_one()
        connection.execute(text(f"DROP INDEX {_PG_TEXT_INDEX}"))
        yield
        connection.execute(text(made))
        return
    made = connection.execute(
        text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = :name"),
        {"name": trigger},
    ).scalar_one()
    connection.execute(text(f"DROP TRIGGER {trigger}"))
    yield
    connection.execute(text(index_rows), {"first": first["update_entry"]})
    connection.execute(text(made))


def _completed(progress: Progress, task: TaskID, done: int) -> None:
    progress.update(task, completed=done)


def _reset_sequences(connection: Connection) -> None:
    for table in (
        "company",
        "company_former_name",
        "endorsement_event",
        "implementation_update",
        "update_entry",
    ):
        sequence = f"pg_get_serial_sequence('{table}', 'id')"
        connection.execute(text(f"SELECT setval({sequence}, (SELECT max(id) FROM {table}))"))


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description:<20}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()
    )


def main(argv: list[str] | None = None, clock: Callable[[], float] = time.perf_counter) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--companies", type=int, default=100_000)
    parser.add_argument("--entries-per-company", type=int, default=10)
    args = parser.parse_args(argv)
    started = clock()
    counts = generate(args.companies, args.entries_per_company)
    print(f"generated {counts} in {clock() - started:.1f} s")


if __name__ == "__main__":
    main()
