"""PostgreSQL: many instances over one server; tsvector search; counters in a shared table."""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Boolean, Connection, Engine, Table, func, literal_column, select, text, union
from sqlalchemy import create_engine as sa_create_engine
from sqlalchemy.orm import Session

from app.core.config import Settings, get_settings
from app.engines.base import (
    CoalescedReader,
    References,
    ScalarReader,
    SearchTarget,
    TextMatch,
)
from app.engines.postgres_connections import (
    PostgresCounter,
    PostgresReader,
    PostgresRows,
    libpq_url,
)

SEARCH_CONFIG = "english"  # the text search configuration the stored vectors were made with
VECTOR_COLUMN = "fts_vector"  # PostgreSQL only, generated; see the search-vectors migration


def _tsvector_match(document: Any, q: str) -> tuple[Any, Any]:
    """Match and rank on the document's table's stored `fts_vector` column (generated from the
    document, GIN-indexed): ranking reads the stored vector instead of parsing the text again."""
    config: Any = literal_column(f"'{SEARCH_CONFIG}'::regconfig")
    vector: Any = literal_column(f"{document.table.name}.{VECTOR_COLUMN}")
    query = func.websearch_to_tsquery(config, q)
    return vector.op("@@", return_type=Boolean)(query), func.ts_rank(vector, query)


# A query matching at least this many rows reads the newest along the key's index, stopping early;
# fewer, and reading every match through the GIN index and sorting them is cheaper. The planner
# cannot tell them apart by its statistics for a word it has not seen (measured at 1M entries:
# a word matching nothing took 320 ms walking the key index, 9 ms through GIN; a word matching
# 91,000 took 14 ms along the key, 220 ms through GIN).
DENSE_MATCHES = 2000


def _newest_first(target: SearchTarget, match: Any) -> Any:
    def order(session: Session) -> Any:
        sample: Any = select(literal_column("1")).select_from(target.key.table).where(match)
        probe = select(func.count()).select_from(sample.limit(DENSE_MATCHES).subquery())
        dense = session.execute(probe).scalar_one() >= DENSE_MATCHES
        return None if dense else target.key + 0  # `+ 0`: no index offers that order

    return order


class PostgresEngine:
    name = "postgresql"

    def create_engine(self, settings: Settings) -> Engine:
        return sa_create_engine(
            settings.database_url,
            pool_pre_ping=True,  # survive a PostgreSQL restart without failing requests
            pool_size=settings.db_pool_size,
            max_overflow=settings.db_max_overflow,
            pool_timeout=settings.db_pool_timeout_s,
            # Compiling a plan to machine code pays off for long analytic queries; every query
            # here is short, and at 100k rows the estimates crossed jit_above_cost, adding tens
            # of milliseconds of compilation to answers that take a few. Parallel workers too:
            # a search for a rare word was planned with two (no statistics for the word), whose
            # start-up took 6-9 ms of a query that then found nothing in 0.15 ms.
            connect_args={"options": "-c jit=off -c max_parallel_workers_per_gather=0"},
        )

    def scalar_reader(self, database_url: str, query: str) -> ScalarReader:
        # A read is a round trip here: under load one query serves every request waiting.
        return CoalescedReader(PostgresReader(libpq_url(database_url), query))

    def row_reader(self, database_url: str) -> PostgresRows:
        # As many as requests admitted at once (VPR_DB_POOL_SIZE + overflow): none waits for one.
        return PostgresRows(libpq_url(database_url), get_settings().thread_limit)

    def shared_counter(self, database_url: str) -> PostgresCounter:
        return PostgresCounter(database_url)

    def text_match(self, target: SearchTarget, q: str) -> TextMatch | None:
        match, rank = _tsvector_match(target.document, q)
        if not target.related:
            return TextMatch(match, rank, newest_first=_newest_first(target, match))
        # The keys matching any text, one GIN index scan each: an OR across tables would have
        # PostgreSQL read every row. A match on a related text only ranks below every match on
        # the row's own document (its own vector gives it rank 0).
        keys = union(
            select(target.key).where(match),
            *[select(key).where(_tsvector_match(text, q)[0]) for key, text in target.related],
        )
        return TextMatch(target.key.in_(keys), rank)

    @contextmanager
    def snapshot(self, engine: Engine) -> Iterator[Connection]:
        options = {"isolation_level": "REPEATABLE READ"}
        with engine.connect().execution_options(**options) as connection, connection.begin():
            yield connection

    @contextmanager
    def schema_change(self, engine: Engine) -> Iterator[Connection]:
        with engine.connect() as connection, connection.begin():
            yield connection

    def after_bulk_load(self, connection: Connection, tables: Sequence[Table]) -> None:
        """Sequences hand out ids; explicit ids inserted by a restore did not move them."""
        for table in tables:
            keys = list(table.primary_key.columns)
            if len(keys) != 1 or not keys[0].autoincrement or keys[0].type.python_type is not int:
                continue
            column = keys[0].name
            connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column}'), "  # noqa: S608 - names from metadata
                    f"coalesce(max({column}), 1), max({column}) IS NOT NULL) FROM {table.name}"
                )
            )

    def drop_references(self, connection: Connection, tables: Sequence[str]) -> References:
        """The tables' foreign keys, dropped until `restore_references` adds them again, when
        each is checked over its whole table in one join (PostgreSQL's advice for populating a
        database): checked row by row, 900,000 read-model rows with four keys each took 20 s to
        insert against 5 s unchecked. Dropping one locks both its tables until the transaction
        ends, hence only for a database no one uses yet."""
        found = connection.execute(
            text(
                "SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid)"
                " FROM pg_constraint WHERE contype = 'f'"
                " AND conrelid = ANY(CAST(:tables AS regclass[])) ORDER BY conrelid, conname"
            ),
            {"tables": list(tables)},
        ).all()
        for table, name, _ in found:
            connection.execute(text(f"ALTER TABLE {table} DROP CONSTRAINT {name}"))
        return [(table, name, definition) for table, name, definition in found]

    def restore_references(self, connection: Connection, dropped: References) -> None:
        for table, name, definition in dropped:
            connection.execute(text(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}"))

    def grant_to_app_role(self, connection: Connection, role: str) -> None:
        quoted = connection.dialect.identifier_preparer.quote(role)
        for statement in (
            f"GRANT USAGE ON SCHEMA public TO {quoted}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}",
            f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {quoted}",
            # The audit trail is append-only for the app itself, not only by its triggers; the
            # schema's version is the migrator's.
            f"REVOKE UPDATE, DELETE, TRUNCATE ON audit_record FROM {quoted}",
            f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON alembic_version FROM {quoted}",
        ):
            connection.execute(text(statement))
