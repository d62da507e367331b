"""stated date ranges: an endorsement event's date may be a range between two days, each bound
with its own source and a note on how they bound it (an endorsement a 2024 page dates only to
"2020", which a March 2021 briefing shows had happened by then)

Revision ID: b2c4d6e8f0a1
Revises: a1b3c5d7e9f0
Create Date: 2026-12-08 03:00:00

A downgrade drops what only this revision can state: the events dated as ranges (with their
retractions) and the status rows they decided. Run `vpr rebuild` after it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.engines.schema_steps import triggers_set_aside

revision: str = "b2c4d6e8f0a1"
down_revision: str | None = "a1b3c5d7e9f0"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RANGE_SOURCED = (
    "(date_precision = 'range') = (earliest_source_url IS NOT NULL AND "
    "latest_source_url IS NOT NULL AND date_note IS NOT NULL)"
)


def _precisions(allowed: str) -> None:
    with triggers_set_aside(), op.batch_alter_table("endorsement_event") as batch_op:
        batch_op.drop_constraint(op.f("ck_endorsement_event_date_precision_allowed"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_endorsement_event_date_precision_allowed"),
            f"date_precision IN ({allowed})",
        )


def upgrade() -> None:
    with triggers_set_aside(), op.batch_alter_table("endorsement_event") as batch_op:
        batch_op.add_column(sa.Column("earliest_source_url", sa.String(500), nullable=True))
        batch_op.add_column(sa.Column("latest_source_url", sa.String(500), nullable=True))
        batch_op.add_column(sa.Column("date_note", sa.Text(), nullable=True))
    _precisions("'day', 'month', 'year', 'range'")
    with triggers_set_aside(), op.batch_alter_table("endorsement_event") as batch_op:
        batch_op.create_check_constraint(
            op.f("ck_endorsement_event_range_bounds_sourced"), RANGE_SOURCED
        )


RANGED = "SELECT id FROM endorsement_event WHERE date_precision = 'range'"


def downgrade() -> None:
    op.execute(
        "DELETE FROM company_status WHERE company_id IN "
        "(SELECT company_id FROM endorsement_event WHERE date_precision = 'range')"
    )
    op.execute(f"DELETE FROM endorsement_retraction WHERE event_id IN ({RANGED})")  # noqa: S608
    op.execute("DELETE FROM endorsement_event WHERE date_precision = 'range'")
    with triggers_set_aside(), op.batch_alter_table("endorsement_event") as batch_op:
        batch_op.drop_constraint(op.f("ck_endorsement_event_range_bounds_sourced"), type_="check")
    _precisions("'day', 'month', 'year'")
    with triggers_set_aside(), op.batch_alter_table("endorsement_event") as batch_op:
        batch_op.drop_column("date_note")
        batch_op.drop_column("latest_source_url")
        batch_op.drop_column("earliest_source_url")
