"""Alembic, driven from code: `vpr migrate`, /readyz and the tests share this."""

from contextlib import AbstractContextManager
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from app import engines

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@lru_cache
def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def migration_connection(engine: Engine) -> AbstractContextManager[Connection]:
    """A connection to migrate on, in one transaction (see each engine's `schema_change`)."""
    return engines.of(engine).schema_change(engine)


def upgrade(engine: Engine, revision: str = "head") -> None:
    with migration_connection(engine) as connection:
        command.upgrade(alembic_config(connection), revision)


def downgrade(engine: Engine, revision: str) -> None:
    with migration_connection(engine) as connection:
        command.downgrade(alembic_config(connection), revision)


def grant_to_app_role(engine: Engine, role: str) -> None:
    """After migrating as the tables' owner: what the service's own role may do (PostgreSQL)."""
    with engine.connect() as connection, connection.begin():
        engines.of(engine).grant_to_app_role(connection, role)
