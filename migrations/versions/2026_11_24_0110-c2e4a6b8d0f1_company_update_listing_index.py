"""company update listing index: one company's updates in the listing's order, so its page and
`/updates?company=` read its few rows instead of walking every submitted update

Revision ID: c2e4a6b8d0f1
Revises: a7c9e1b3d5f8
Create Date: 2026-11-24 01:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "c2e4a6b8d0f1"
down_revision: str | None = "a7c9e1b3d5f8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_implementation_update_company_listing",
        "implementation_update",
        ["company_id", "state", "period_end", "id"],
    )


def downgrade() -> None:
    op.drop_index("ix_implementation_update_company_listing", table_name="implementation_update")
