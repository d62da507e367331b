"""principle official text: each principle's official wording beside the registry's summary
(`vpr seed` fills it where its source is recorded, with an audit record)

Revision ID: c3d5e7f9a1b2
Revises: b2c4d6e8f0a1
Create Date: 2026-12-08 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c3d5e7f9a1b2"
down_revision: str | None = "b2c4d6e8f0a1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("principle", sa.Column("official_text", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("principle", "official_text")
