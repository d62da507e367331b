"""HTTP route for the change feed: what changed, in commit order, for dashboards to follow."""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from app.changes import service
from app.changes.schemas import ChangePage, ChangeRead
from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.core.pagination import MAX_RECORDS_PAGE, cursor_fields
from app.core.urls import API_PREFIX, changes_url
from app.keys.dependencies import PrincipalDep

router = APIRouter(prefix=API_PREFIX, tags=["changes"], responses=problem_responses(422))
MAX_CHANGES = MAX_RECORDS_PAGE


@router.get(
    "/changes",
    summary="Changes since a cursor, in commit order (only those you may see)",
)
def list_changes(
    response: Response,
    session: SessionDep,
    principal: PrincipalDep,
    since: Annotated[
        int,
        Query(
            title="Since",
            description="The cursor from the previous answer; 0 to start from the beginning.",
            ge=0,
            le=2**53 - 1,  # what a JSON number keeps exactly
        ),
    ] = 0,
    limit: Annotated[
        int,
        Query(
            title="Limit",
            description=f"At most this many, 1 to {MAX_CHANGES}.",
            ge=1,
            le=MAX_CHANGES,
        ),
    ] = 100,
) -> ChangePage:
    """Every change you may see, in commit order, each with the resource's URL and, for public
    records, the document it became. Poll with `since` = the last `cursor`; `more` says whether
    to ask again at once."""
    found = service.changes_since(session, principal, since, limit + 1)
    return ChangePage(
        **cursor_fields(
            response,
            found,
            limit,
            since,
            lambda change: ChangeRead.of(change.seq, change.record),
            lambda cursor: changes_url(cursor, limit),
        )
    )
