"""update documents: each submitted update as the API serves it, per audience (public entries;
every entry), with the list's order beside it, kept by the writes; filled by `vpr migrate`
(app/updates/documents.py)

Revision ID: a7c9e1f3b5d8
Revises: f6b8c0d2e4a7
Create Date: 2026-11-24 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a7c9e1f3b5d8"
down_revision: str | None = "f6b8c0d2e4a7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "update_document",
        sa.Column("update_id", sa.Integer(), nullable=False),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("public_body", sa.LargeBinary(), nullable=False),
        sa.Column("restricted_body", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["update_id"],
            ["implementation_update.id"],
            name="fk_update_document_update_id_implementation_update",
        ),
        sa.PrimaryKeyConstraint("update_id", name="pk_update_document"),
    )
    with op.batch_alter_table("update_document", schema=None) as batch_op:
        batch_op.create_index(
            "ix_update_document_listing", ["current", "period_end", "update_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("update_document", schema=None) as batch_op:
        batch_op.drop_index("ix_update_document_listing")
    op.drop_table("update_document")
