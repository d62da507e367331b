"""HTTP route for full-text search."""

from typing import Annotated

from fastapi import APIRouter, Query

from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.core.urls import API_PREFIX
from app.keys.dependencies import PrincipalDep
from app.search import queries
from app.search.schemas import SearchRead

router = APIRouter(prefix=API_PREFIX, tags=["search"], responses=problem_responses(422))


@router.get("/search", summary="Full-text search over company names and update narratives")
def search(
    session: SessionDep,
    principal: PrincipalDep,
    q: Annotated[
        str,
        Query(
            title="Query", description="Words to find (all of them).", min_length=1, max_length=200
        ),
    ],
    limit: Annotated[
        int,
        Query(title="Limit", description="At most this many of each kind, 1 to 100.", ge=1, le=100),
    ] = 20,
) -> SearchRead:
    """Full-text search over company names (current and former) and published update narratives,
    best matches first among the newest matches; the answer says whether the ranking saw every
    match."""
    companies, companies_complete = queries.companies(session, q, limit)
    entries, entries_complete = queries.entries(session, principal, q, limit)
    return SearchRead(
        q=q,
        companies=companies,
        companies_complete=companies_complete,
        entries=entries,
        entries_complete=entries_complete,
        ranked_among=queries.RANKED_AMONG,
    )
