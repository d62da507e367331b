"""Alembic environment: the app's metadata, the app's engine settings, both SQL dialects."""

from typing import Any

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import Connection

from app.core.config import get_settings
from app.core.db import build_engine
from app.core.migrations import migration_connection
from app.core.types import UTCDateTime
from app.models import metadata

config = context.config


def _render_item(kind: str, item: Any, _context: AutogenContext) -> str | bool:
    # Revisions stay free of app imports: UTCDateTime is a timestamptz on the database side.
    if kind == "type" and isinstance(item, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


# Made by hand in their own revisions, for one engine: full-text search, descending indexes.
HAND_MADE_PREFIXES = ("company_fts", "update_entry_fts", "ix_fts_", "fts_vector", "ix_desc_")


def _include_object(obj: Any, name: str | None, type_: str, *_args: Any) -> bool:
    return not (name or "").startswith(HAND_MADE_PREFIXES)


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER most things
        compare_type=True,
        render_item=_render_item,
        include_object=_include_object,
    )


def run_migrations_online() -> None:
    # A caller (tests, `vpr migrate`) may hand over its own connection.
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = build_engine(get_settings())
    try:
        with migration_connection(engine) as new_connection:
            _configure(new_connection)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported; run against a database")
run_migrations_online()
