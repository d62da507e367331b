"""Each company's detail and list item, stored as the bytes the API serves (the
`company_document` read model): a cold read of a company is one row by its slug instead of five
statements and a rendering, a page of the list its items' rows, on every engine and instance.
Its parts of the web pages (`app/pages/fragments.py`) are rendered and stored with them.

Kept in the writing transaction: whatever refreshes a company's other read models
(`status.refresh`, `published.refresh`) marks it here, and its document is rendered from the
session's own view just before that transaction commits, so a document is never older or newer
than the data it shows. `rebuild` renders every company's (`vpr rebuild`, bulk loads); a test
checks each stored document against a fresh rendering after random writes.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, event, exists, or_, select, text
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, col

from app.companies.models import (
    Company,
    CompanyDocument,
    CompanyItem,
    CompanyPagePart,
    CompanyTableRow,
)
from app.companies.queries import company_details
from app.companies.schemas import CompanyRead
from app.core.db import replace_rendered
from app.engines.base import RowReader
from app.keys.authentication import Moment, read_moment
from app.milestones.models import Milestone
from app.pages import fragments
from app.principles.models import FrameworkVersion, Principle
from app.updates import queries as update_queries
from app.updates.schemas import UpdateRead

_PENDING = "vpr_company_documents_pending"
_EVERY = "vpr_company_documents_all"
_FRAMEWORK_WIDE = (FrameworkVersion, Principle, Milestone)
TABLES = (CompanyDocument, CompanyItem, CompanyPagePart, CompanyTableRow)  # a rendering fills
_KEYS = tuple(col(table.company_id) for table in TABLES)
_BY_SLUG = "SELECT version, body FROM company_document WHERE slug = :slug"
_ITEM_FIELDS = set(CompanyRead.model_fields)  # a detail is an item and more, in that order


@dataclass(frozen=True)
class StoredDocument:
    version: str  # the company's resource version, the ETag's first part
    body: bytes


def mark(session: Session, company_id: int) -> None:
    """This company's detail changes in this transaction: render it before the commit."""
    session.info.setdefault(_PENDING, set()).add(company_id)


@event.listens_for(OrmSession, "after_flush")
def _note_framework_changes(session: OrmSession, _context: Any) -> None:
    """A framework version, principle or milestone changed (the seed adds them): every detail
    names them, so every document is rendered again."""
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(isinstance(row, _FRAMEWORK_WIDE) for row in changed):
        session.info[_EVERY] = True


@event.listens_for(OrmSession, "before_commit")
def render_marked(session: OrmSession) -> None:
    """Render what this transaction marked (before it commits; the tests' factories, whose
    arranged rows are never committed, call it themselves)."""
    bound: Session = session  # type: ignore[assignment]  # the app's sessions are SQLModel's
    if session.info.pop(_EVERY, False):
        session.info.pop(_PENDING, None)
        rebuild(bound)
        return
    pending: set[int] | None = session.info.pop(_PENDING, None)
    if pending:
        store(bound, sorted(pending))


@event.listens_for(OrmSession, "after_rollback")
def _forget_marked(session: OrmSession) -> None:
    session.info.pop(_PENDING, None)
    session.info.pop(_EVERY, None)


def store(session: Session, company_ids: Iterable[int]) -> int:
    """Render and store these companies' documents (replacing what was there); how many."""
    return replace_rendered(session, _KEYS, company_ids, rendered)


def rendered(session: Session, company_ids: list[int]) -> list[dict[str, Any]]:
    """The rows of these companies in every table of TABLES, as the session sees them (not
    stored): what a bulk load renders in other processes (bench/documents.py)."""
    details = company_details(session, col(Company.id).in_(company_ids))
    heads = update_queries.company_heads(session, list(details), fragments.MOST_UPDATES)
    rows = []
    for company_id, detail in details.items():
        updates = [UpdateRead.of(view) for view in heads.get(company_id, [])]
        rows.append(
            {
                "company_id": company_id,
                "slug": detail.body.slug,
                "version": detail.version,
                "body": detail.body.model_dump_json().encode(),
                "item": detail.body.model_dump_json(include=_ITEM_FIELDS).encode(),
                "name": detail.body.name,
                "content": str(fragments.content(detail.body, updates)),
                "row": str(fragments.row(detail.body)),
            }
        )
    return rows


def rebuild(session: Session) -> int:
    """Every company's document, rendered again; how many."""
    for model in TABLES:
        session.execute(delete(model))
    return store(
        session, session.execute(select(col(Company.id)).order_by(col(Company.id))).scalars()
    )


def fill(session: Session) -> int:
    """The documents of companies that miss one of their rows (after the migration that added
    its table); how many were rendered."""
    lacking = (~exists().where(key == Company.id) for key in _KEYS)
    missing = select(col(Company.id)).where(or_(*lacking)).order_by(col(Company.id))
    return store(session, session.execute(missing).scalars().all())


async def fetch(rows: RowReader, slug: str) -> StoredDocument | None:
    """The stored document of the company with this slug (exactly), if there is one."""
    return _stored(await rows.row(_BY_SLUG, {"slug": slug}))


DOCUMENT_COLUMNS = "company_document.version, company_document.body"
DOCUMENT_BY_SLUG = "LEFT JOIN company_document ON company_document.slug = :slug"


async def look_up(rows: RowReader, slug: str, *, public: bool, key_id: str | None) -> Moment:
    """The clock (public or whole), the document of `slug` (its `columns`: version and body,
    None when there is none; `stored_of` reads them) and the key record of `key_id`, in one
    statement: one round trip where three were made apart."""
    return await read_moment(
        rows,
        public=public,
        key_id=key_id,
        columns=DOCUMENT_COLUMNS,
        joins=DOCUMENT_BY_SLUG,
        params={"slug": slug},
    )


def stored_of(moment: Moment) -> StoredDocument | None:
    """The document of a moment read with DOCUMENT_COLUMNS first."""
    version, body = moment.columns[:2]
    return None if version is None else StoredDocument(str(version), bytes(body))


def fetch_in(session: Session, slug: str) -> StoredDocument | None:
    """The same from sync code, through the session."""
    found = session.execute(text(_BY_SLUG), {"slug": slug}).first()
    return _stored(None if found is None else tuple(found))


def _stored(found: tuple[Any, ...] | None) -> StoredDocument | None:
    return None if found is None else StoredDocument(str(found[0]), bytes(found[1]))
