"""What the migrations share that differs by engine (alembic revisions import it; each step
runs inside a migration's `op` context)."""

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op


@contextmanager
def triggers_set_aside() -> Iterator[None]:
    """SQLite rebuilds a table to change a CHECK or a column, and refuses to rename the rebuilt
    table while a trigger names it: take the triggers out, put them back (nothing to do on
    PostgreSQL, which alters in place)."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        yield
        return
    saved = bind.execute(
        sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql IS NOT NULL")
    ).all()
    for name, _ in saved:
        op.execute(f'DROP TRIGGER "{name}"')
    yield
    for _, statement in saved:
        op.execute(statement)
