"""reporting company by company: a submission replaces its company's read-model rows, which
PostgreSQL found by scanning every row (6.7 ms of a 48 ms submission at 100k companies)

Revision ID: c1d2e3f4a5b6
Revises: a8c3d5e7f912
Create Date: 2026-11-23 23:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "c1d2e3f4a5b6"
down_revision: str | None = "a8c3d5e7f912"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("reporting_company", schema=None) as batch_op:
        batch_op.create_index("ix_reporting_company_company", ["company_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("reporting_company", schema=None) as batch_op:
        batch_op.drop_index("ix_reporting_company_company")
