"""public feed numbers: each public change's place among public changes alone, so that the
public change feed and the log number nothing private (their gaps counted drafts, reviews and
keys). Changes recorded before keep their published number (dashboards' cursors stay valid);
from here on, public numbers follow one another without gaps.

Revision ID: a1b3c5d7e9f0
Revises: f2b4d6e8a0c3
Create Date: 2026-12-08 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a1b3c5d7e9f0"
down_revision: str | None = "f2b4d6e8a0c3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY_MESSAGE = "audit_record is append-only"  # as revision 825ab0f548c6 wrote it
NUMBER_PUBLISHED = "UPDATE audit_record SET public_seq = seq WHERE audience = 'public'"


def upgrade() -> None:
    # A plain ADD COLUMN on both engines: the audit table's triggers stay as they are.
    op.add_column("audit_record", sa.Column("public_seq", sa.BigInteger(), nullable=True))
    op.create_index(op.f("ix_audit_record_public_seq"), "audit_record", ["public_seq"], unique=True)
    # The one update this table ever takes, with its append-only trigger off for it alone.
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE audit_record DISABLE TRIGGER audit_record_no_update_or_delete")
        op.execute(NUMBER_PUBLISHED)
        op.execute("ALTER TABLE audit_record ENABLE TRIGGER audit_record_no_update_or_delete")
    else:
        op.execute("DROP TRIGGER audit_record_no_update")
        op.execute(NUMBER_PUBLISHED)
        op.execute(
            "CREATE TRIGGER audit_record_no_update BEFORE UPDATE ON audit_record "
            f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END"
        )


def downgrade() -> None:
    op.drop_index(op.f("ix_audit_record_public_seq"), table_name="audit_record")
    # Not a batch: rebuilding the table on SQLite would drop its append-only triggers.
    op.drop_column("audit_record", "public_seq")
