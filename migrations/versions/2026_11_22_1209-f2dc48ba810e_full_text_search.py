"""full text search

Revision ID: f2dc48ba810e
Revises: 8a3ed4e65ff9
Create Date: 2026-11-22 12:09:10.210687
"""

from collections.abc import Sequence

from alembic import op

revision: str = "f2dc48ba810e"
down_revision: str | None = "8a3ed4e65ff9"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# PostgreSQL: GIN indexes over the very expressions app/search/service.py queries.
PG_INDEXES = {
    "ix_fts_update_entry_narrative": "update_entry",
    "ix_fts_company_name": "company",
    "ix_fts_company_former_name": "company_former_name",
}
PG_COLUMN = {"update_entry": "narrative", "company": "name", "company_former_name": "name"}

# SQLite: FTS5 tables kept in step by triggers. A later batch migration that rebuilds one of
# these tables must create its triggers again.
REFRESH_COMPANY = """
    DELETE FROM company_fts WHERE rowid = {id};
    INSERT INTO company_fts(rowid, names)
    SELECT c.id, c.name || ' ' || coalesce(
        (SELECT group_concat(f.name, ' ') FROM company_former_name f WHERE f.company_id = c.id), '')
    FROM company c WHERE c.id = {id};
"""
SQLITE_UP = [
    "CREATE VIRTUAL TABLE update_entry_fts USING fts5(narrative, content='update_entry', "
    "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER update_entry_fts_ai AFTER INSERT ON update_entry BEGIN "
    "INSERT INTO update_entry_fts(rowid, narrative) VALUES (new.id, new.narrative); END",
    "CREATE TRIGGER update_entry_fts_ad AFTER DELETE ON update_entry BEGIN "
    "INSERT INTO update_entry_fts(update_entry_fts, rowid, narrative) "
    "VALUES ('delete', old.id, old.narrative); END",
    "CREATE TRIGGER update_entry_fts_au AFTER UPDATE ON update_entry BEGIN "
    "INSERT INTO update_entry_fts(update_entry_fts, rowid, narrative) "
    "VALUES ('delete', old.id, old.narrative); "
    "INSERT INTO update_entry_fts(rowid, narrative) VALUES (new.id, new.narrative); END",
    "INSERT INTO update_entry_fts(update_entry_fts) VALUES ('rebuild')",
    "CREATE VIRTUAL TABLE company_fts USING fts5(names, tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER company_fts_ai AFTER INSERT ON company BEGIN "
    + REFRESH_COMPANY.format(id="new.id")
    + " END",
    "CREATE TRIGGER company_fts_au AFTER UPDATE OF name ON company BEGIN "
    + REFRESH_COMPANY.format(id="new.id")
    + " END",
    "CREATE TRIGGER company_former_name_fts_ai AFTER INSERT ON company_former_name BEGIN "
    + REFRESH_COMPANY.format(id="new.company_id")
    + " END",
    "CREATE TRIGGER company_former_name_fts_ad AFTER DELETE ON company_former_name BEGIN "
    + REFRESH_COMPANY.format(id="old.company_id")
    + " END",
    "INSERT INTO company_fts(rowid, names) SELECT c.id, c.name || ' ' || coalesce("
    "(SELECT group_concat(f.name, ' ') FROM company_former_name f WHERE f.company_id = c.id), '') "
    "FROM company c",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS company_former_name_fts_ad",
    "DROP TRIGGER IF EXISTS company_former_name_fts_ai",
    "DROP TRIGGER IF EXISTS company_fts_au",
    "DROP TRIGGER IF EXISTS company_fts_ai",
    "DROP TABLE IF EXISTS company_fts",
    "DROP TRIGGER IF EXISTS update_entry_fts_au",
    "DROP TRIGGER IF EXISTS update_entry_fts_ad",
    "DROP TRIGGER IF EXISTS update_entry_fts_ai",
    "DROP TABLE IF EXISTS update_entry_fts",
]


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for index, table in PG_INDEXES.items():
            column = PG_COLUMN[table]
            op.execute(
                f"CREATE INDEX {index} ON {table} USING gin "
                f"(to_tsvector('english'::regconfig, coalesce({column}, '')))"
            )
        return
    for statement in SQLITE_UP:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for index in PG_INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {index}")
        return
    for statement in SQLITE_DOWN:
        op.execute(statement)
