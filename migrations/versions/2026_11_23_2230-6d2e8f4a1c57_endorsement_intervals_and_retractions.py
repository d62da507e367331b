"""endorsement intervals and retractions: each event keeps the days its stated date can mean,
clipped to the framework version's publication; retractions mark events recorded by mistake;
the company status and timeline read models are refilled on those intervals

Events already recorded whose whole stated interval lies before the publication (new ones are
refused) keep their stated interval unclipped: the migration reports them, it does not invent
dates for them.

Revision ID: 6d2e8f4a1c57
Revises: b3f1c8e2a6d4
Create Date: 2026-11-23 22:30:00
"""

import calendar
from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "6d2e8f4a1c57"
down_revision: str | None = "b3f1c8e2a6d4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ENDORSING_AFTER = {"endorsed": True, "reaffirmed": True, "withdrawn": False, "lapsed": False}
TIMELINE = ("started", "stopped", "possibly_started", "certainly_started")
TIMELINE += ("possibly_stopped", "certainly_stopped")

# The same derivation as app/endorsements/status.py, written out: revisions import no app code.
STATUS_FROM_HISTORY = """
WITH ranked AS (
    SELECT id, company_id, kind, earliest_on, latest_on, date_precision,
           row_number() OVER (PARTITION BY company_id
                              ORDER BY earliest_on DESC, id DESC) AS latest,
           row_number() OVER (PARTITION BY company_id, kind = 'endorsed'
                              ORDER BY earliest_on DESC, id DESC) AS of_kind
    FROM endorsement_event ev
    WHERE NOT EXISTS (SELECT 1 FROM endorsement_retraction r WHERE r.event_id = ev.id)
)
INSERT INTO company_status (company_id, status, latest_event_id, endorsed_event_id,
                            endorsed_on, endorsed_latest, endorsed_order, sort_name)
SELECT c.id,
       CASE l.kind WHEN 'endorsed' THEN 'endorsed' WHEN 'reaffirmed' THEN 'endorsed'
                   WHEN 'withdrawn' THEN 'withdrawn' WHEN 'lapsed' THEN 'lapsed'
                   ELSE 'not_endorsed' END,
       l.id, e.id, e.earliest_on, e.latest_on,
       CAST(e.earliest_on AS TEXT) || ' ' ||
           CASE e.date_precision WHEN 'day' THEN '0' WHEN 'month' THEN '1' WHEN 'year' THEN '2'
           END || ' ' || lower(c.name),
       lower(c.name)
FROM company c
LEFT JOIN ranked l ON l.company_id = c.id AND l.latest = 1
LEFT JOIN ranked e ON e.company_id = c.id AND e.kind = 'endorsed' AND e.of_kind = 1
"""


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _interval(day: date, precision: str, published: date) -> tuple[date, date]:
    if precision == "day":
        first, last = day, day
    elif precision == "month":
        first = day.replace(day=1)
        last = day.replace(day=calendar.monthrange(day.year, day.month)[1])
    else:
        first, last = date(day.year, 1, 1), date(day.year, 12, 31)
    return (first, last) if last < published else (max(first, published), last)


def _fill_intervals(bind: sa.Connection) -> None:
    rows = bind.execute(
        sa.text(
            "SELECT e.id, e.occurred_on, e.date_precision, v.published_on "
            "FROM endorsement_event e JOIN framework_version v ON v.id = e.framework_version_id"
        )
    ).all()
    values, before = [], 0
    for event_id, occurred_on, precision, published in rows:
        first, last = _interval(_as_date(occurred_on), precision, _as_date(published))
        before += last < _as_date(published)
        values.append({"id": event_id, "earliest": first, "latest": last})
    if before:
        print(f"  {before} endorsement events predate their publication: kept as stated")
    if values:
        bind.execute(
            sa.text(
                "UPDATE endorsement_event SET earliest_on = :earliest, latest_on = :latest "
                "WHERE id = :id"
            ),
            values,
        )


def _spells(bind: sa.Connection) -> Counter[tuple[int, str, str]]:
    rows = bind.execute(
        sa.text(
            "SELECT company_id, kind, earliest_on, latest_on FROM endorsement_event ev "
            "WHERE NOT EXISTS (SELECT 1 FROM endorsement_retraction r WHERE r.event_id = ev.id) "
            "ORDER BY company_id, earliest_on, id"
        )
    )
    shares: Counter[tuple[int, str, str]] = Counter()
    open_spells: dict[int, tuple[date, date]] = {}

    def count(company: int, start: tuple[date, date], stop: tuple[date, date] | None) -> None:
        months = [("possibly_started", start[0])]
        if stop is not None:
            months.append(("possibly_stopped", stop[1]))
        if stop is None or f"{start[1]:%Y-%m}" <= f"{stop[0]:%Y-%m}":
            months.append(("certainly_started", start[1]))
            if stop is not None:
                months.append(("certainly_stopped", stop[0]))
        for counter, day in months:
            shares[company, counter, f"{day:%Y-%m}"] += 1

    for company, kind, earliest, latest in rows:
        interval = (_as_date(earliest), _as_date(latest))
        if ENDORSING_AFTER[kind] and company not in open_spells:
            open_spells[company] = interval
        elif not ENDORSING_AFTER[kind] and company in open_spells:
            count(company, open_spells.pop(company), interval)
    for company, start in open_spells.items():
        count(company, start, None)
    return shares


def _refill_read_models(bind: sa.Connection) -> None:
    bind.execute(sa.text("DELETE FROM company_status"))
    bind.execute(sa.text(STATUS_FROM_HISTORY))
    names = ", ".join(f"'{name}'" for name in TIMELINE)
    bind.execute(sa.text(f"DELETE FROM stat_contribution WHERE counter IN ({names})"))  # noqa: S608
    shares = _spells(bind)
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
    bind.execute(sa.text("DELETE FROM stat_counter"))
    bind.execute(
        sa.text(
            "INSERT INTO stat_counter (counter, key, amount) "
            "SELECT counter, key, sum(amount) FROM stat_contribution GROUP BY counter, key"
        )
    )


def upgrade() -> None:
    with op.batch_alter_table("endorsement_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("earliest_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("latest_on", sa.Date(), nullable=True))
    _fill_intervals(op.get_bind())
    with op.batch_alter_table("endorsement_event", schema=None) as batch_op:
        batch_op.alter_column("earliest_on", existing_type=sa.Date(), nullable=False)
        batch_op.alter_column("latest_on", existing_type=sa.Date(), nullable=False)
        batch_op.create_check_constraint(
            op.f("ck_endorsement_event_interval_ordered"), "earliest_on <= latest_on"
        )

    op.create_table(
        "endorsement_retraction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("source_url", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.CheckConstraint(
            "source_url LIKE 'https://%'", name=op.f("ck_endorsement_retraction_source_https")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["endorsement_event.id"],
            name=op.f("fk_endorsement_retraction_event_id_endorsement_event"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_endorsement_retraction")),
        sa.UniqueConstraint("event_id", name=op.f("uq_endorsement_retraction_event_id")),
    )

    with op.batch_alter_table("company_status", schema=None) as batch_op:
        batch_op.add_column(sa.Column("endorsed_latest", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("endorsed_order", sqlmodel.sql.sqltypes.AutoString(length=240), nullable=True)
        )
        batch_op.drop_index("ix_company_status_endorsed_on")
        batch_op.drop_index("ix_company_status_status_endorsed_on")
        batch_op.create_index("ix_company_status_endorsed_on", ["endorsed_on"], unique=False)
        batch_op.create_index(
            "ix_company_status_endorsed_latest", ["endorsed_latest"], unique=False
        )
        batch_op.create_index(
            "ix_company_status_endorsed_order", ["endorsed_order", "company_id"], unique=False
        )
        batch_op.create_index(
            "ix_company_status_status_endorsed_order",
            ["status", "endorsed_order", "company_id"],
            unique=False,
        )
    _refill_read_models(op.get_bind())


def downgrade() -> None:
    # The read models are left as they are: `vpr rebuild` with the matching code refills them.
    with op.batch_alter_table("company_status", schema=None) as batch_op:
        batch_op.drop_index("ix_company_status_status_endorsed_order")
        batch_op.drop_index("ix_company_status_endorsed_order")
        batch_op.drop_index("ix_company_status_endorsed_latest")
        batch_op.drop_index("ix_company_status_endorsed_on")
        batch_op.create_index(
            "ix_company_status_endorsed_on", ["endorsed_on", "company_id"], unique=False
        )
        batch_op.create_index(
            "ix_company_status_status_endorsed_on",
            ["status", "endorsed_on", "company_id"],
            unique=False,
        )
        batch_op.drop_column("endorsed_order")
        batch_op.drop_column("endorsed_latest")
    op.drop_table("endorsement_retraction")
    with op.batch_alter_table("endorsement_event", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_endorsement_event_interval_ordered"), type_="check")
        batch_op.drop_column("latest_on")
        batch_op.drop_column("earliest_on")
