"""Full-text search over company names (current and former) and update narratives, ranked.

PostgreSQL: `to_tsvector` / `websearch_to_tsquery` over GIN expression indexes; SQLite: FTS5
tables kept in step by triggers (both created by the migration). The same visibility rules as
everywhere: restricted entries and drafts only for those who may see them.
"""

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    Integer,
    MetaData,
    Table,
    func,
    literal_column,
    or_,
    text,
)
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from app.companies.models import Company, CompanyFormerName
from app.keys.dependencies import Principal
from app.principles.models import Principle
from app.updates.models import ImplementationUpdate, UpdateEntry
from app.updates.queries import entry_visible, update_visible

# The FTS5 tables live outside the app's metadata: Alembic must not manage them as tables.
_fts = MetaData()
COMPANY_FTS = Table("company_fts", _fts, Column("rowid", Integer), Column("rank", Float))
ENTRY_FTS = Table("update_entry_fts", _fts, Column("rowid", Integer), Column("rank", Float))
PG_CONFIG = "english"
WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class CompanyHit:
    slug: str
    name: str
    rank: float


@dataclass(frozen=True)
class EntryHit:
    update_id: int
    company: str
    principle: str
    status: str
    narrative: str
    rank: float


def fts5_query(q: str) -> str | None:
    """Words of the query as quoted FTS5 terms (AND), so no operator can be injected."""
    words = WORD.findall(q)
    return " ".join(f'"{w}"' for w in words) or None


def _pg_match(document: Any, q: str) -> tuple[Any, Any]:
    """Match and rank, written exactly as the GIN expression indexes are (so they are used)."""
    config: Any = literal_column(f"'{PG_CONFIG}'::regconfig")
    vector = func.to_tsvector(config, func.coalesce(document, ""))
    query = func.websearch_to_tsquery(config, q)
    return vector.op("@@", return_type=Boolean)(query), func.ts_rank(vector, query)


def companies(session: Session, q: str, limit: int) -> list[CompanyHit]:
    if session.get_bind().dialect.name == "postgresql":
        name_match, name_rank = _pg_match(col(Company.name), q)
        former_match, _ = _pg_match(col(CompanyFormerName.name), q)
        former = sa_select(col(CompanyFormerName.company_id)).where(former_match).scalar_subquery()
        # A match on a former name only ranks below every match on the current name.
        statement = sa_select(col(Company.slug), col(Company.name), name_rank.label("rank")).where(
            or_(name_match, col(Company.id).in_(former))
        )
    else:
        terms = fts5_query(q)
        if terms is None:
            return []
        statement = (
            sa_select(col(Company.slug), col(Company.name), (-COMPANY_FTS.c.rank).label("rank"))
            .join(COMPANY_FTS, COMPANY_FTS.c.rowid == Company.id)
            .where(text("company_fts MATCH :terms").bindparams(terms=terms))
        )
    rows = session.execute(statement.order_by(text("rank DESC"), col(Company.slug)).limit(limit))
    return [CompanyHit(slug, name, float(rank)) for slug, name, rank in rows]


def entries(session: Session, principal: Principal, q: str, limit: int) -> list[EntryHit]:
    if session.get_bind().dialect.name == "postgresql":
        match, rank = _pg_match(col(UpdateEntry.narrative), q)
        base = sa_select(UpdateEntry, rank.label("rank")).where(match)
    else:
        terms = fts5_query(q)
        if terms is None:
            return []
        base = (
            sa_select(UpdateEntry, (-ENTRY_FTS.c.rank).label("rank"))
            .join(ENTRY_FTS, ENTRY_FTS.c.rowid == UpdateEntry.id)
            .where(text("update_entry_fts MATCH :terms").bindparams(terms=terms))
        )
    statement = (
        base.add_columns(col(Company.slug), col(Principle.code))
        .join(ImplementationUpdate, col(ImplementationUpdate.id) == UpdateEntry.update_id)
        .join(Company, col(Company.id) == ImplementationUpdate.company_id)
        .join(Principle, col(Principle.id) == UpdateEntry.principle_id)
        .where(update_visible(principal), entry_visible(principal))
        .order_by(text("rank DESC"), col(UpdateEntry.id))
        .limit(limit)
    )
    return [
        EntryHit(entry.update_id, slug, code, entry.status, entry.narrative or "", float(rank))
        for entry, rank, slug, code in session.execute(statement)
    ]
