"""change clock epoch: a random token per database, so that files kept per data version (the
stored exports) are never taken for those of another database that reached the same version
(a registry deleted and seeded again at the same path)

Revision ID: e9a1c3f5b7d2
Revises: d4e8b2f7a913
Create Date: 2026-11-24 00:10:00
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e9a1c3f5b7d2"
down_revision: str | None = "d4e8b2f7a913"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("change_clock", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("epoch", sa.String(length=32), nullable=False, server_default="")
        )
    op.get_bind().execute(
        sa.text("UPDATE change_clock SET epoch = :epoch"), {"epoch": secrets.token_hex(8)}
    )


def downgrade() -> None:
    with op.batch_alter_table("change_clock", schema=None) as batch_op:
        batch_op.drop_column("epoch")
