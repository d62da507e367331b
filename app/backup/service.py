"""Backup and restore of the whole registry as JSON Lines (gzip when the name ends in .gz).

The file holds a header (format, schema revision, columns of each table), then one line per
row, parents before children, then the checksum of what was read. A restore goes into an empty
database at the same revision, in one transaction, and checks the same checksum at the end.
"""

import gzip
import json
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Connection, Engine, func, select

from app import engines
from app.backup.codec import checksum, decoder, registry_tables, rows_of
from app.core import migrations
from app.core.types import utcnow

FORMAT = "vp-registry-backup"
FORMAT_VERSION = 1
BATCH_ROWS = 1000
# Rows that migrations themselves insert; a restore replaces them with the backed-up ones.
MIGRATION_SEEDED_TABLES = frozenset({"change_clock"})


class BackupError(Exception):
    """The file or the target database does not allow the operation; nothing was changed."""


@dataclass(frozen=True)
class Summary:
    rows: dict[str, int]
    checksum: str
    revision: str | None


def _open(path: Path, *, writing: bool) -> IO[str]:
    if path.suffix == ".gz":
        return gzip.open(path, "wt" if writing else "rt", encoding="utf-8")
    return path.open("w" if writing else "r", encoding="utf-8")


def backup(engine: Engine, path: Path) -> Summary:
    counts: dict[str, int] = {}
    with engines.of(engine).snapshot(engine) as connection, _open(path, writing=True) as out:
        revision = migrations.current_revision(connection)
        header = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "revision": revision,
            "created_at": utcnow().isoformat(),
            "columns": {t.name: [c.name for c in t.columns] for t in registry_tables()},
        }
        out.write(json.dumps(header) + "\n")
        for table in registry_tables():
            counts[table.name] = 0
            for row in rows_of(connection, table):
                out.write(json.dumps({"t": table.name, "r": row}, separators=(",", ":")) + "\n")
                counts[table.name] += 1
        digest = checksum(connection)
        out.write(json.dumps({"checksum": digest, "rows": counts}) + "\n")
    return Summary(counts, digest, revision)


def _read_header(line: str) -> dict[str, Any]:
    try:
        header: dict[str, Any] = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BackupError("not a VP Registry backup: the first line is not JSON") from exc
    if header.get("format") != FORMAT or header.get("version") != FORMAT_VERSION:
        raise BackupError(f"not a {FORMAT} file of version {FORMAT_VERSION}")
    return header


def _check_target(connection: Connection, header: dict[str, Any]) -> None:
    revision = migrations.current_revision(connection)
    if revision != header["revision"]:
        raise BackupError(
            f"the backup is of schema revision {header['revision']}, the database is at "
            f"{revision}: restore with the code version that made the backup"
        )
    for table in registry_tables():
        if table.name in MIGRATION_SEEDED_TABLES:
            continue
        if connection.execute(select(func.count()).select_from(table)).scalar():
            raise BackupError(f"the database is not empty (table {table.name} has rows)")


def _insert_rows(connection: Connection, lines: IO[str], header: dict[str, Any]) -> dict[str, Any]:
    tables = {table.name: table for table in registry_tables()}
    if set(header["columns"]) != set(tables):
        raise BackupError("the backup's tables differ from this schema's")
    decoders = {
        name: [decoder(tables[name].c[column]) for column in columns]
        for name, columns in header["columns"].items()
    }
    batch: list[dict[str, Any]] = []
    batch_table = ""

    def flush() -> None:
        if batch:
            connection.execute(tables[batch_table].insert(), batch)
            batch.clear()

    for line in lines:
        entry = json.loads(line)
        if "checksum" in entry:
            flush()
            return entry  # type: ignore[no-any-return]
        name, values = entry["t"], entry["r"]
        if name != batch_table or len(batch) >= BATCH_ROWS:
            flush()
            batch_table = name
        batch.append(
            {
                column: decode(value) if decode and value is not None else value
                for column, decode, value in zip(
                    header["columns"][name], decoders[name], values, strict=True
                )
            }
        )
    raise BackupError("the backup is truncated: its closing checksum line is missing")


def restore(engine: Engine, path: Path) -> Summary:
    """Load a backup into an empty database (migrated here if it is new)."""
    migrations.upgrade(engine)
    with _open(path, writing=False) as lines, engine.begin() as connection:
        header = _read_header(next(lines, ""))
        _check_target(connection, header)
        for table in registry_tables():
            if table.name in MIGRATION_SEEDED_TABLES:
                connection.execute(table.delete())
        closing = _insert_rows(connection, lines, header)
        engines.of(engine).after_bulk_load(connection, registry_tables())
        digest = checksum(connection)
        if digest != closing["checksum"]:
            raise BackupError("the restored data does not match the backup's checksum")
    return Summary(closing["rows"], digest, header["revision"])
