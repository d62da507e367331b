"""company reports: links to what a company publishes itself (transparency reports), recorded by
administrators apart from the updates it submits here. The stored company documents, which gain
them, are rendered again after revision e5f7a9b1c3d4, which empties them.

Revision ID: d4e6f8a0b2c3
Revises: c3d5e7f9a1b2
Create Date: 2026-12-08 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d4e6f8a0b2c3"
down_revision: str | None = "c3d5e7f9a1b2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "company_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("publisher", sa.String(length=200), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=False),
        sa.Column("published_precision", sa.String(length=5), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=40), nullable=False),
        sa.CheckConstraint(
            "published_precision IN ('day', 'month', 'year')",
            name=op.f("ck_company_report_published_precision_allowed"),
        ),
        sa.CheckConstraint("url LIKE 'https://%'", name=op.f("ck_company_report_url_https")),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name=op.f("fk_company_report_company_id_company")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_company_report")),
    )
    op.create_index(
        op.f("ix_company_report_company_id"), "company_report", ["company_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_company_report_company_id"), table_name="company_report")
    op.drop_table("company_report")
