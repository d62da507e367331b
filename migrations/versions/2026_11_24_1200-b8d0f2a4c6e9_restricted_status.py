"""restricted statuses: per company and principle, the latest status among every entry,
restricted ones included (what governments and administrators see), kept by the writes beside
published_status; filled by `vpr migrate` (app/updates/published.py)

Revision ID: b8d0f2a4c6e9
Revises: a7c9e1f3b5d8
Create Date: 2026-11-24 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b8d0f2a4c6e9"
down_revision: str | None = "a7c9e1f3b5d8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    references = [
        ("company_id", "company"),
        ("principle_id", "principle"),
        ("framework_version_id", "framework_version"),
        ("update_id", "implementation_update"),
    ]
    op.create_table(
        "restricted_status",
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("principle_id", sa.Integer(), nullable=False),
        sa.Column("framework_version_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("update_id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        *(
            sa.ForeignKeyConstraint(
                [column], [f"{table}.id"], name=f"fk_restricted_status_{column}_{table}"
            )
            for column, table in references
        ),
        sa.PrimaryKeyConstraint("company_id", "principle_id", name="pk_restricted_status"),
    )


def downgrade() -> None:
    op.drop_table("restricted_status")
