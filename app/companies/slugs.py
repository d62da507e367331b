"""Where a company's URL leads when its slug is not one as written: the company under its
current slug (308: another case, or a former name, so links made before a rename keep working),
or the 404."""

from fastapi import Request
from sqlmodel import Session

from app.companies import documents, queries
from app.companies.schemas import CompanyDetailRead
from app.core.errors import MovedError, NotFoundError
from app.core.etags import Versioned


def elsewhere(request: Request, session: Session, slug: str) -> NotFoundError | MovedError:
    """For a slug no company has: the 308 or the 404 to raise. Asked only after a miss, so the
    common path runs no extra statement."""
    found = queries.canonical_slug(session, slug)
    if found is None or found == slug:
        return NotFoundError(f"No company with slug {slug!r}.")
    moved = request.url.path.replace(f"/companies/{slug}", f"/companies/{found}", 1)
    query = f"?{request.url.query}" if request.url.query else ""
    return MovedError(f"The company {slug!r} is {found!r} now.", moved + query)


def detail_or_elsewhere(
    request: Request, session: Session, slug: str
) -> Versioned[CompanyDetailRead]:
    """The company rendered from its rows, or where its slug leads (a 308 or the 404)."""
    try:
        return queries.company_detail(session, slug)
    except NotFoundError:
        raise elsewhere(request, session, slug) from None


def shown_detail(request: Request, session: Session, slug: str) -> CompanyDetailRead:
    """The company as its stored document shows it (the web page: no rendering from the rows
    when the document is there), else rendered, or where its slug leads."""
    stored = documents.fetch_in(session, slug)
    if stored is not None:
        return CompanyDetailRead.model_validate_json(stored.body)
    return detail_or_elsewhere(request, session, slug).body
