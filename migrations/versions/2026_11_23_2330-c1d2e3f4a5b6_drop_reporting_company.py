"""drop reporting company: the coverage matrix now pages every company endorsing now (from the
status index), so the companies that published a status need no table of their own

Revision ID: c1d2e3f4a5b6
Revises: a8c3d5e7f912
Create Date: 2026-11-23 23:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "c1d2e3f4a5b6"
down_revision: str | None = "a8c3d5e7f912"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_table("reporting_company")


def downgrade() -> None:
    op.create_table(
        "reporting_company",
        sa.Column("framework_version_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("slug", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name=op.f("fk_reporting_company_company_id_company")
        ),
        sa.ForeignKeyConstraint(
            ["framework_version_id"],
            ["framework_version.id"],
            name=op.f("fk_reporting_company_framework_version_id_framework_version"),
        ),
        sa.PrimaryKeyConstraint(
            "framework_version_id", "company_id", name=op.f("pk_reporting_company")
        ),
    )
    with op.batch_alter_table("reporting_company", schema=None) as batch_op:
        batch_op.create_index(
            "ix_reporting_company_version_slug", ["framework_version_id", "slug"], unique=False
        )
    op.execute(
        "INSERT INTO reporting_company (framework_version_id, company_id, slug) "
        "SELECT DISTINCT s.framework_version_id, s.company_id, c.slug "
        "FROM published_status s JOIN company c ON c.id = s.company_id"
    )
