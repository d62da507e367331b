"""update restricted documents: each submitted update as governments and administrators see it
(every entry) in a table of its own, beside the public document (`update_document`). Both
bodies in one row made each row two pages of the file: a page of the list read twice the pages
its audience's documents fill

Revision ID: e1a3c5d7f9b2
Revises: d0f2b4c6e8a1
Create Date: 2026-11-24 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e1a3c5d7f9b2"
down_revision: str | None = "d0f2b4c6e8a1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "update_restricted_document",
        sa.Column("update_id", sa.Integer(), nullable=False),
        sa.Column("restricted_body", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["update_id"],
            ["implementation_update.id"],
            name="fk_update_restricted_document_update_id_implementation_update",
        ),
        sa.PrimaryKeyConstraint("update_id", name="pk_update_restricted_document"),
    )
    op.execute(
        "INSERT INTO update_restricted_document (update_id, restricted_body)"
        " SELECT update_id, restricted_body FROM update_document"
    )
    with op.batch_alter_table("update_document", schema=None) as batch_op:
        batch_op.drop_column("restricted_body")


def downgrade() -> None:
    with op.batch_alter_table("update_document", schema=None) as batch_op:
        batch_op.add_column(sa.Column("restricted_body", sa.LargeBinary(), nullable=True))
    op.execute(
        "UPDATE update_document SET restricted_body = (SELECT restricted_body"
        " FROM update_restricted_document"
        " WHERE update_restricted_document.update_id = update_document.update_id)"
    )
    with op.batch_alter_table("update_document", schema=None) as batch_op:
        batch_op.alter_column("restricted_body", existing_type=sa.LargeBinary(), nullable=False)
    op.drop_table("update_restricted_document")
