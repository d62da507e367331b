"""tamper-evident log: its leaves and its stored subtree hashes, both append-only

Revision ID: a7c9e1b3d5f8
Revises: f3a5c7e9b1d4
Create Date: 2026-11-24 01:00:00

The leaves of changes made before this revision are added by `vpr migrate` (it runs
`app.log.backfill` after upgrading), in commit order, before any new change can be logged.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a7c9e1b3d5f8"
down_revision: str | None = "f3a5c7e9b1d4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("log_leaf", "log_node")


def _append_only(table: str) -> list[str]:
    message = f"{table} is append-only"
    if op.get_bind().dialect.name == "postgresql":
        return [
            f"""CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION '{message}' USING ERRCODE = 'insufficient_privilege'; END $$""",
            f"""CREATE TRIGGER {table}_no_update_or_delete BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION {table}_append_only()""",
            f"""CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION {table}_append_only()""",
        ]
    return [
        f"""CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table}
        BEGIN SELECT RAISE(ABORT, '{message}'); END"""
        for event in ("UPDATE", "DELETE")
    ]


def upgrade() -> None:
    op.create_table(
        "log_leaf",
        sa.Column("idx", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("url", sa.String(length=300), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("leaf_hash", sa.LargeBinary(length=32), nullable=False),
        sa.PrimaryKeyConstraint("idx"),
        sa.UniqueConstraint("seq"),
    )
    op.create_index("ix_log_leaf_url", "log_leaf", ["url"])
    op.create_table(
        "log_node",
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.Column("idx", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("hash", sa.LargeBinary(length=32), nullable=False),
        sa.PrimaryKeyConstraint("level", "idx"),
    )
    for table in TABLES:
        for statement in _append_only(table):
            op.execute(statement)


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table in TABLES:
        if postgresql:
            op.execute(f"DROP FUNCTION {table}_append_only() CASCADE")
    op.drop_index("ix_log_leaf_url", table_name="log_leaf")
    op.drop_table("log_node")
    op.drop_table("log_leaf")
