"""update listing index: the update list's order (newest period first) over one state, so a page
is an index range instead of a sort of every update

Revision ID: b3f1c8e2a6d4
Revises: 4e7a9d2c1b80
Create Date: 2026-11-23 22:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "b3f1c8e2a6d4"
down_revision: str | None = "4e7a9d2c1b80"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("implementation_update", schema=None) as batch_op:
        batch_op.create_index(
            "ix_implementation_update_listing", ["state", "period_end", "id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("implementation_update", schema=None) as batch_op:
        batch_op.drop_index("ix_implementation_update_listing")
