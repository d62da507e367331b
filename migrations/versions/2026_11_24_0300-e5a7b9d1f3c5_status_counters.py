"""status counters: how many companies have each current status, kept with the statistics'
counters, so the company list's total for a status is one row instead of a count of the status
index (7 ms of every list request at 100,000 companies)

Revision ID: e5a7b9d1f3c5
Revises: d4f6a8c0e2b3
Create Date: 2026-11-24 03:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "e5a7b9d1f3c5"
down_revision: str | None = "d4f6a8c0e2b3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # What app/stats/counters.py contributes and counts, from the status rows as they are.
    op.execute(
        "INSERT INTO stat_contribution (company_id, counter, key, amount) "
        "SELECT company_id, 'status', status, 1 FROM company_status"
    )
    op.execute(
        "INSERT INTO stat_counter (counter, key, amount) "
        "SELECT 'status', status, count(*) FROM company_status GROUP BY status"
    )


def downgrade() -> None:
    op.execute("DELETE FROM stat_counter WHERE counter = 'status'")
    op.execute("DELETE FROM stat_contribution WHERE counter = 'status'")
