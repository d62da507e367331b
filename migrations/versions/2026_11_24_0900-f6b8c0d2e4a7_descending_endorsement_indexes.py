"""descending endorsement indexes (PostgreSQL): the company list sorted by endorsement,
newest first, puts companies never endorsed last; a B-tree read backwards puts its NULLs first,
so PostgreSQL sorted every matching row for each page. SQLite reads its ascending index in that
order already (its plan has no sort), so it gets none.

Revision ID: f6b8c0d2e4a7
Revises: e5a7b9d1f3c5
Create Date: 2026-11-24 09:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "f6b8c0d2e4a7"
down_revision: str | None = "e5a7b9d1f3c5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Made by hand for one engine (migrations/env.py leaves names with this prefix alone).
INDEXES = {
    "ix_desc_company_status_endorsed_order": "endorsed_order DESC NULLS LAST, company_id DESC",
    "ix_desc_company_status_status_endorsed_order": (
        "status, endorsed_order DESC NULLS LAST, company_id DESC"
    ),
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, columns in INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON company_status ({columns})")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in INDEXES:
        op.execute(f"DROP INDEX {name}")
