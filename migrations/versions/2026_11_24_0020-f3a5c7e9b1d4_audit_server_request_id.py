"""audit server request id: the server's own id of the request that wrote, beside the client's
X-Request-ID (which the client chooses, and two clients may share); records written before
have none

Revision ID: f3a5c7e9b1d4
Revises: e9a1c3f5b7d2
Create Date: 2026-11-24 00:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f3a5c7e9b1d4"
down_revision: str | None = "e9a1c3f5b7d2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN on both engines: the audit table's triggers stay as they are.
    op.add_column("audit_record", sa.Column("server_request_id", sa.String(32), nullable=True))
    op.create_index(
        op.f("ix_audit_record_server_request_id"), "audit_record", ["server_request_id"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_audit_record_server_request_id"), table_name="audit_record")
    # Not a batch: rebuilding the table on SQLite would drop its append-only triggers.
    op.drop_column("audit_record", "server_request_id")
