"""Full-text search over company names (current and former) and update narratives, ranked.

How text is matched is the database engine's business (`app/engines/`: PostgreSQL tsvector over
GIN indexes, SQLite FTS5 tables kept in step by triggers); what may be found is the caller's,
under the same visibility rules as everywhere (`app/access.py`).

Ranking costs what the matches do: a common word matched 80,000 entries at 100k companies and
took ~200 ms to rank, a name word shared by every company 250 ms. So each kind is ranked among
its newest matches the caller may see, at most RANKED_AMONG of them, read newest first in the
order the engine reads best (`TextMatch.newest_first`), and the answer says when older matches
were left out (`entries_complete`, `companies_complete`) instead of pretending it is all.
"""

from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from app import engines
from app.access import Principal, entry_visible, update_visible
from app.companies.models import Company, CompanyFormerName
from app.engines.base import SearchTarget, TextMatch
from app.principles.models import Principle
from app.search.schemas import CompanyHitRead, EntryHitRead
from app.updates.models import ImplementationUpdate, UpdateEntry

RANKED_AMONG = 1000

COMPANY_NAMES = SearchTarget(
    key=col(Company.id),
    document=col(Company.name),
    fts_table="company_fts",  # indexes the current and every former name
    related=((col(CompanyFormerName.company_id), col(CompanyFormerName.name)),),
)
ENTRY_NARRATIVES = SearchTarget(
    key=col(UpdateEntry.id), document=col(UpdateEntry.narrative), fts_table="update_entry_fts"
)


def _best_of_newest(
    session: Session,
    target: SearchTarget,
    match: TextMatch,
    limit: int,
    visible: tuple[Any, list[ColumnElement[bool]]] | None = None,
) -> tuple[dict[int, float], bool]:
    """The keys of the best `limit` matches among the newest RANKED_AMONG (key -> rank, best
    first), and whether those were every match. `visible`: a join and conditions that keep
    only what the caller may see."""
    order = match.newest_first(session)
    newest = sa_select(target.key, match.rank.label("rank"))
    if match.join is not None:
        newest = newest.join(*match.join)
    conditions = [match.condition]
    if visible is not None:
        newest = newest.join(*visible[0])
        conditions += visible[1]
    newest = (
        newest.where(*conditions)
        .order_by((target.key if order is None else order).desc())
        .limit(RANKED_AMONG + 1)
    )
    candidates = session.execute(newest).all()
    best = sorted(candidates[:RANKED_AMONG], key=lambda row: (-row[1], -row[0]))[:limit]
    return {key: float(rank) for key, rank in best}, len(candidates) <= RANKED_AMONG


def companies(session: Session, q: str, limit: int) -> tuple[list[CompanyHitRead], bool]:
    match = engines.of(session).text_match(COMPANY_NAMES, q)
    if match is None:
        return [], True
    ranks, complete = _best_of_newest(session, COMPANY_NAMES, match, limit)
    found = session.execute(
        sa_select(col(Company.id), col(Company.slug), col(Company.name)).where(
            col(Company.id).in_(list(ranks))
        )
    ).all()
    by_key = {key: (slug, name) for key, slug, name in found}
    hits = [CompanyHitRead.of(*by_key[key], rank) for key, rank in ranks.items()]
    return hits, complete


def entries(
    session: Session, principal: Principal, q: str, limit: int
) -> tuple[list[EntryHitRead], bool]:
    match = engines.of(session).text_match(ENTRY_NARRATIVES, q)
    if match is None:
        return [], True
    visible = (
        (ImplementationUpdate, col(ImplementationUpdate.id) == UpdateEntry.update_id),
        [update_visible(principal), entry_visible(principal)],
    )
    ranks, complete = _best_of_newest(session, ENTRY_NARRATIVES, match, limit, visible)
    statement = (
        sa_select(UpdateEntry, col(Company.slug), col(Principle.code))
        .join(ImplementationUpdate, col(ImplementationUpdate.id) == UpdateEntry.update_id)
        .join(Company, col(Company.id) == ImplementationUpdate.company_id)
        .join(Principle, col(Principle.id) == UpdateEntry.principle_id)
        .where(col(UpdateEntry.id).in_(list(ranks)))
    )
    by_key = {entry.id: (entry, slug, code) for entry, slug, code in session.execute(statement)}
    hits = [EntryHitRead.of(*by_key[key], rank) for key, rank in ranks.items()]
    return hits, complete
