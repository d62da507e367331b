"""Full-text search over company names (current and former) and update narratives, ranked.

How text is matched is the database engine's business (`app/engines/`: PostgreSQL tsvector over
GIN expression indexes, SQLite FTS5 tables kept in step by triggers); what may be found is the
caller's, under the same visibility rules as everywhere (`app/access.py`).
"""

from sqlalchemy import select as sa_select
from sqlalchemy import text
from sqlmodel import Session, col

from app import engines
from app.access import Principal, entry_visible, update_visible
from app.companies.models import Company, CompanyFormerName
from app.engines.base import SearchTarget
from app.principles.models import Principle
from app.search.schemas import CompanyHitRead, EntryHitRead
from app.updates.models import ImplementationUpdate, UpdateEntry

COMPANY_NAMES = SearchTarget(
    key=col(Company.id),
    document=col(Company.name),
    fts_table="company_fts",  # indexes the current and every former name
    related=((col(CompanyFormerName.company_id), col(CompanyFormerName.name)),),
)
ENTRY_NARRATIVES = SearchTarget(
    key=col(UpdateEntry.id), document=col(UpdateEntry.narrative), fts_table="update_entry_fts"
)


def companies(session: Session, q: str, limit: int) -> list[CompanyHitRead]:
    match = engines.of(session).text_match(COMPANY_NAMES, q)
    if match is None:
        return []
    statement = sa_select(col(Company.slug), col(Company.name), match.rank.label("rank"))
    if match.join is not None:
        statement = statement.join(*match.join)
    statement = statement.where(match.condition)
    rows = session.execute(statement.order_by(text("rank DESC"), col(Company.slug)).limit(limit))
    return [CompanyHitRead.of(slug, name, float(rank)) for slug, name, rank in rows]


def entries(session: Session, principal: Principal, q: str, limit: int) -> list[EntryHitRead]:
    match = engines.of(session).text_match(ENTRY_NARRATIVES, q)
    if match is None:
        return []
    statement = sa_select(UpdateEntry, match.rank.label("rank"))
    if match.join is not None:
        statement = statement.join(*match.join)
    statement = (
        statement.add_columns(col(Company.slug), col(Principle.code))
        .join(ImplementationUpdate, col(ImplementationUpdate.id) == UpdateEntry.update_id)
        .join(Company, col(Company.id) == ImplementationUpdate.company_id)
        .join(Principle, col(Principle.id) == UpdateEntry.principle_id)
        .where(match.condition, update_visible(principal), entry_visible(principal))
        .order_by(text("rank DESC"), col(UpdateEntry.id))
        .limit(limit)
    )
    return [
        EntryHitRead.of(entry, company, principle, float(rank))
        for entry, rank, company, principle in session.execute(statement)
    ]
