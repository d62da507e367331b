"""statistics counters: per company its contributions, and the counters of the over-time and
breakdown statistics and the update list's totals (filled from the history)

Revision ID: 9c4e1a7b2d35
Revises: 31105699064b
Create Date: 2026-11-23 21:00:00
"""

from collections import Counter
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "9c4e1a7b2d35"
down_revision: str | None = "31105699064b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The same derivation as app/stats/counters.py, written out: revisions import no app code.
MEMBERSHIPS = """
    INSERT INTO stat_contribution (company_id, counter, key, amount)
    SELECT id, 'country', coalesce(country, ''), 1 FROM company
    UNION ALL
    SELECT c.id, 'country_endorsing', coalesce(c.country, ''), 1
    FROM company c JOIN company_status s ON s.company_id = c.id WHERE s.status = 'endorsed'
    UNION ALL
    SELECT company_id, 'sector', sector, 1 FROM company_sector
    UNION ALL
    SELECT cs.company_id, 'sector_endorsing', cs.sector, 1
    FROM company_sector cs JOIN company_status s ON s.company_id = cs.company_id
    WHERE s.status = 'endorsed'
    UNION ALL
    SELECT company_id, 'updates_submitted', 'all', count(*) FROM implementation_update
    WHERE state = 'submitted' GROUP BY company_id
    UNION ALL
    SELECT u.company_id, 'updates_current', 'all', count(*) FROM implementation_update u
    WHERE u.state = 'submitted' AND NOT EXISTS (
        SELECT 1 FROM implementation_update a WHERE a.supersedes_id = u.id AND a.state = 'submitted')
    GROUP BY u.company_id
"""
ENDORSING_AFTER = {"endorsed": True, "reaffirmed": True, "withdrawn": False, "lapsed": False}
TOTALS = """
    INSERT INTO stat_counter (counter, key, amount)
    SELECT counter, key, sum(amount) FROM stat_contribution GROUP BY counter, key
"""


def _fill() -> None:
    bind = op.get_bind()
    bind.execute(sa.text(MEMBERSHIPS))
    events = bind.execute(
        sa.text(
            "SELECT company_id, kind, occurred_on FROM endorsement_event "
            "ORDER BY company_id, occurred_on, id"
        )
    )
    shares: Counter[tuple[int, str, str]] = Counter()
    endorsing: dict[int, bool] = {}
    for company, kind, occurred_on in events:
        now, was = ENDORSING_AFTER[kind], endorsing.get(company, False)
        endorsing[company] = now
        if now != was:
            month = str(occurred_on)[:7]  # a date, or its ISO text on SQLite
            shares[company, "started" if now else "stopped", month] += 1
    if shares:
        bind.execute(
            sa.text(
                "INSERT INTO stat_contribution (company_id, counter, key, amount) "
                "VALUES (:company, :counter, :key, :amount)"
            ),
            [
                {"company": company, "counter": counter, "key": key, "amount": amount}
                for (company, counter, key), amount in shares.items()
            ],
        )
    bind.execute(sa.text(TOTALS))


def upgrade() -> None:
    op.create_table(
        "stat_contribution",
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("counter", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["company.id"], name=op.f("fk_stat_contribution_company_id_company")
        ),
        sa.PrimaryKeyConstraint("company_id", "counter", "key", name=op.f("pk_stat_contribution")),
    )
    op.create_table(
        "stat_counter",
        sa.Column("counter", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("counter", "key", name=op.f("pk_stat_counter")),
    )
    _fill()


def downgrade() -> None:
    op.drop_table("stat_counter")
    op.drop_table("stat_contribution")
