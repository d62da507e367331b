"""company items: each company's list item in a table of its own, beside its detail
(`company_document`). An item is 600 bytes and a detail several thousand: sharing one row,
each item of a listed page cost a page of the file read (4 KB), and the table of details was
too large for the page cache; apart, a page of 50 items is a few pages read

Revision ID: d0f2b4c6e8a1
Revises: c9e1a3b5d7f0
Create Date: 2026-11-24 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d0f2b4c6e8a1"
down_revision: str | None = "c9e1a3b5d7f0"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "company_item",
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("item", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name="fk_company_item_company_id_company"
        ),
        sa.PrimaryKeyConstraint("company_id", name="pk_company_item"),
    )
    op.execute(
        "INSERT INTO company_item (company_id, item) SELECT company_id, item FROM company_document"
    )
    with op.batch_alter_table("company_document", schema=None) as batch_op:
        batch_op.drop_column("item")


def downgrade() -> None:
    with op.batch_alter_table("company_document", schema=None) as batch_op:
        batch_op.add_column(sa.Column("item", sa.LargeBinary(), nullable=True))
    op.execute(
        "UPDATE company_document SET item = (SELECT item FROM company_item"
        " WHERE company_item.company_id = company_document.company_id)"
    )
    with op.batch_alter_table("company_document", schema=None) as batch_op:
        batch_op.alter_column("item", existing_type=sa.LargeBinary(), nullable=False)
    op.drop_table("company_item")
