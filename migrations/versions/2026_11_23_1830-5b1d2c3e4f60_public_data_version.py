"""public data version: a part of the change clock that only public changes move

Revision ID: 5b1d2c3e4f60
Revises: 825ab0f548c6
Create Date: 2026-11-23 18:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "5b1d2c3e4f60"
down_revision: str | None = "825ab0f548c6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("change_clock", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("public_value", sa.BigInteger(), server_default="0", nullable=False)
        )
    # Every change so far counts: the public version starts where the whole clock stands.
    op.execute("UPDATE change_clock SET public_value = value")


def downgrade() -> None:
    with op.batch_alter_table("change_clock", schema=None) as batch_op:
        batch_op.drop_column("public_value")
