"""sources for every fact: milestone citations, the precision of a former name's end date, why a
company has no country, and the launch companies marked as consulted (the governments drafted the
principles)

Revision ID: d4e8b2f7a913
Revises: c1d2e3f4a5b6
Create Date: 2026-11-24 00:00:00

Values are not invented here: the seed (`vpr seed`) fills the sources it holds for milestones and
former names that have none, with an audit record each. The only data this changes is the
seed's own sentence for the launch events, which called the six companies drafters.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.engines.schema_steps import triggers_set_aside

revision: str = "d4e8b2f7a913"
down_revision: str | None = "c1d2e3f4a5b6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_NOTE = "Endorsed at the launch; one of the six companies that drafted the principles."
NEW_NOTE = (
    "Endorsed at the launch; one of the six companies the five governments consulted while "
    "drafting the principles."
)


def upgrade() -> None:
    with op.batch_alter_table("milestone", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cited_publisher", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("cited_title", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("cited_date", sa.String(length=10), nullable=True))
    with op.batch_alter_table("company", schema=None) as batch_op:
        batch_op.add_column(sa.Column("country_note", sa.String(length=500), nullable=True))
    with op.batch_alter_table("company_former_name", schema=None) as batch_op:
        batch_op.add_column(sa.Column("used_until_precision", sa.String(length=5), nullable=True))
    # An end date recorded before precision was kept was entered as a day.
    op.execute(
        "UPDATE company_former_name SET used_until_precision = 'day' WHERE used_until IS NOT NULL"
    )
    with triggers_set_aside(), op.batch_alter_table("company_former_name") as batch_op:
        batch_op.create_check_constraint(
            op.f("ck_company_former_name_used_until_precision_allowed"),
            "used_until_precision IN ('day', 'month', 'year')",
        )
        batch_op.create_check_constraint(
            op.f("ck_company_former_name_used_until_precise"),
            "(used_until IS NULL) = (used_until_precision IS NULL)",
        )
    with triggers_set_aside(), op.batch_alter_table("endorsement_event") as batch_op:
        batch_op.alter_column("drafter", new_column_name="consulted_in_drafting")
    op.get_bind().execute(
        sa.text("UPDATE endorsement_event SET note = :new WHERE note = :old"),
        {"new": NEW_NOTE, "old": OLD_NOTE},
    )


def downgrade() -> None:
    op.get_bind().execute(
        sa.text("UPDATE endorsement_event SET note = :old WHERE note = :new"),
        {"new": NEW_NOTE, "old": OLD_NOTE},
    )
    with triggers_set_aside(), op.batch_alter_table("endorsement_event") as batch_op:
        batch_op.alter_column("consulted_in_drafting", new_column_name="drafter")
    with triggers_set_aside(), op.batch_alter_table("company_former_name") as batch_op:
        batch_op.drop_constraint(op.f("ck_company_former_name_used_until_precise"), type_="check")
        batch_op.drop_constraint(
            op.f("ck_company_former_name_used_until_precision_allowed"), type_="check"
        )
        batch_op.drop_column("used_until_precision")
    with triggers_set_aside(), op.batch_alter_table("company") as batch_op:
        batch_op.drop_column("country_note")
    with triggers_set_aside(), op.batch_alter_table("milestone") as batch_op:
        batch_op.drop_column("cited_date")
        batch_op.drop_column("cited_title")
        batch_op.drop_column("cited_publisher")
