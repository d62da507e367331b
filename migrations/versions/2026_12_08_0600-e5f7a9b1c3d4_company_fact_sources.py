"""company fact sources: where a company's country (or the note on it), its sectors and each of
its former names are stated publicly; null where no source is recorded yet, which the API and
the pages say. The stored company documents and page parts are emptied, to be rendered again
with these, the linked reports of d4e6f8a0b2c3 and the pages' corrected wording: `vpr migrate`
fills them after this revision (they are read models, not records).

Revision ID: e5f7a9b1c3d4
Revises: d4e6f8a0b2c3
Create Date: 2026-12-08 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.engines.schema_steps import triggers_set_aside

revision: str = "e5f7a9b1c3d4"
down_revision: str | None = "d4e6f8a0b2c3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RENDERED = ("company_document", "company_item", "company_page_part", "company_table_row")
HTTPS = "{0} IS NULL OR {0} LIKE 'https://%'"


def upgrade() -> None:
    with triggers_set_aside(), op.batch_alter_table("company") as batch_op:
        batch_op.add_column(sa.Column("country_source_url", sa.String(500), nullable=True))
        batch_op.add_column(sa.Column("sectors_source_url", sa.String(500), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_company_country_source_https"), HTTPS.format("country_source_url")
        )
        batch_op.create_check_constraint(
            op.f("ck_company_sectors_source_https"), HTTPS.format("sectors_source_url")
        )
    with triggers_set_aside(), op.batch_alter_table("company_former_name") as batch_op:
        batch_op.add_column(sa.Column("source_url", sa.String(500), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_company_former_name_source_https"), HTTPS.format("source_url")
        )
    for table in RENDERED:
        op.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed names


def downgrade() -> None:
    with triggers_set_aside(), op.batch_alter_table("company_former_name") as batch_op:
        batch_op.drop_constraint(op.f("ck_company_former_name_source_https"), type_="check")
        batch_op.drop_column("source_url")
    with triggers_set_aside(), op.batch_alter_table("company") as batch_op:
        batch_op.drop_constraint(op.f("ck_company_sectors_source_https"), type_="check")
        batch_op.drop_constraint(op.f("ck_company_country_source_https"), type_="check")
        batch_op.drop_column("sectors_source_url")
        batch_op.drop_column("country_source_url")
    for table in RENDERED:
        op.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed names
