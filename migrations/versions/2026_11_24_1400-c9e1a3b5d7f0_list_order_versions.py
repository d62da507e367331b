"""list order versions: counters on the clock row that every change of a list's order moves
(`company_order`: a rewrite of `company_status`, when a company is added, renamed or its
endorsement changes; `update_order`: update documents stored), so what is known about that
order (the positions `app/core/anchors.py` keeps) is known to still hold while they stand

Revision ID: c9e1a3b5d7f0
Revises: b8d0f2a4c6e9
Create Date: 2026-11-24 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c9e1a3b5d7f0"
down_revision: str | None = "b8d0f2a4c6e9"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COUNTERS = ("company_order", "update_order")


def upgrade() -> None:
    with op.batch_alter_table("change_clock", schema=None) as batch_op:
        for counter in COUNTERS:
            batch_op.add_column(
                sa.Column(counter, sa.BigInteger(), nullable=False, server_default="0")
            )


def downgrade() -> None:
    with op.batch_alter_table("change_clock", schema=None) as batch_op:
        for counter in COUNTERS:
            batch_op.drop_column(counter)
