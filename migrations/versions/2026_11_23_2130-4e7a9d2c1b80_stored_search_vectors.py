"""stored search vectors (PostgreSQL): each searched text's tsvector as a generated column with
a GIN index, replacing the expression indexes, so ranking reads a stored vector instead of
parsing every matching text again (SQLite's FTS5 tables store theirs already)

Revision ID: 4e7a9d2c1b80
Revises: 9c4e1a7b2d35
Create Date: 2026-11-23 21:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "4e7a9d2c1b80"
down_revision: str | None = "9c4e1a7b2d35"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# table -> (searched column, expression index it replaces)
SEARCHED = {
    "update_entry": ("narrative", "ix_fts_update_entry_narrative"),
    "company": ("name", "ix_fts_company_name"),
    "company_former_name": ("name", "ix_fts_company_former_name"),
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, (column, expression_index) in SEARCHED.items():
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN fts_vector tsvector GENERATED ALWAYS AS "
            f"(to_tsvector('english'::regconfig, coalesce({column}, ''))) STORED"
        )
        op.execute(f"CREATE INDEX ix_fts_{table}_vector ON {table} USING gin (fts_vector)")
        op.execute(f"DROP INDEX {expression_index}")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, (column, expression_index) in SEARCHED.items():
        op.execute(
            f"CREATE INDEX {expression_index} ON {table} USING gin "
            f"(to_tsvector('english'::regconfig, coalesce({column}, '')))"
        )
        op.execute(f"DROP INDEX ix_fts_{table}_vector")
        op.execute(f"ALTER TABLE {table} DROP COLUMN fts_vector")
