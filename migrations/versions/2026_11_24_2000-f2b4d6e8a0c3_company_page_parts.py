"""company page parts and table rows: what each company's web page shows of it and its row of the
companies table, rendered as HTML with its stored document and item (`vpr migrate` renders
them for every company after this migration: HTML is made by the templates, not by SQL)

Revision ID: f2b4d6e8a0c3
Revises: e1a3c5d7f9b2
Create Date: 2026-11-24 20:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f2b4d6e8a0c3"
down_revision: str | None = "e1a3c5d7f9b2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "company_page_part",
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name="fk_company_page_part_company_id_company"
        ),
        sa.PrimaryKeyConstraint("company_id", name="pk_company_page_part"),
        sa.UniqueConstraint("slug", name="uq_company_page_part_slug"),
    )
    op.create_table(
        "company_table_row",
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("row", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name="fk_company_table_row_company_id_company"
        ),
        sa.PrimaryKeyConstraint("company_id", name="pk_company_table_row"),
    )


def downgrade() -> None:
    op.drop_table("company_table_row")
    op.drop_table("company_page_part")
