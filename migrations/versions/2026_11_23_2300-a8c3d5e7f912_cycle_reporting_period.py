"""cycle reporting period: the period a reporting cycle asks about (an update answers it only if
it covers it); cycles opened before this have none

Revision ID: a8c3d5e7f912
Revises: 6d2e8f4a1c57
Create Date: 2026-11-23 23:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a8c3d5e7f912"
down_revision: str | None = "6d2e8f4a1c57"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("reporting_cycle", schema=None) as batch_op:
        batch_op.add_column(sa.Column("period_start", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("period_end", sa.Date(), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_reporting_cycle_period_ordered"), "period_start <= period_end"
        )


def downgrade() -> None:
    with op.batch_alter_table("reporting_cycle", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_reporting_cycle_period_ordered"), type_="check")
        batch_op.drop_column("period_end")
        batch_op.drop_column("period_start")
