"""company documents: each company's detail and list item as the API serves them, kept by the
writes (a cold read of a company is one row by slug, a list page its items' rows); filled by
`vpr migrate` (app/companies/documents.py)

Revision ID: d4f6a8c0e2b3
Revises: c2e4a6b8d0f1
Create Date: 2026-11-24 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d4f6a8c0e2b3"
down_revision: str | None = "c2e4a6b8d0f1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "company_document",
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("version", sa.String(length=80), nullable=False),
        # The list item before the (larger) detail: SQLite reads a row's columns in order, so
        # a list reading items never walks the detail's overflow pages.
        sa.Column("item", sa.LargeBinary(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name="fk_company_document_company_id_company"
        ),
        sa.PrimaryKeyConstraint("company_id", name="pk_company_document"),
        sa.UniqueConstraint("slug", name="uq_company_document_slug"),
    )


def downgrade() -> None:
    op.drop_table("company_document")
