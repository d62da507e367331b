"""Single rows read by key from async code (`RowReader`, one per engine in `app/engines`): what
every request reads before its route runs (the caller's key, the change clock) and the stored
documents some routes answer with. No worker thread and no ORM session is taken for them.

The app keeps one reader in `app.state.rows`, which the routes (`get_rows`) and the HTTP layer
(`app/http/stored_documents.py`) read; a test puts `SessionRows` there instead, so that these
reads see its uncommitted data, as the ORM's do.
"""

from contextlib import AbstractAsyncContextManager, nullcontext
from enum import Enum
from functools import cache
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import ClauseElement, text
from sqlalchemy.dialects import sqlite
from sqlmodel import Session

from app.engines.base import RowReader

ROWS_STATE = "rows"


def get_rows(request: Request) -> RowReader:
    rows: RowReader = getattr(request.app.state, ROWS_STATE)
    return rows


RowsDep = Annotated[RowReader, Depends(get_rows)]


class SessionRows:
    """The same reads through a session (the tests' own, which holds their data)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    async def row(self, sql: str, params: dict[str, Any] | None = None) -> tuple[Any, ...] | None:
        found = await self.rows(sql, params)
        return found[0] if found else None

    async def rows(self, sql: str, params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
        return [tuple(found) for found in self.session.execute(text(sql), params or {})]

    def held(self) -> AbstractAsyncContextManager[object]:
        return nullcontext()  # the session's one connection

    async def aclose(self) -> None:
        return None


def id_slots(ids: list[int], size: int) -> tuple[str, dict[str, int]]:
    """`ids` as `size` named parameters for `IN (...)` (slots past them hold 0, no row's id):
    one statement text per page size, whatever the ids, so each engine prepares it once."""
    filled = ids + [0] * (size - len(ids))
    slots, names = _slots(size)
    return slots, dict(zip(names, filled, strict=True))


@cache  # per page size, not per page
def _slots(size: int) -> tuple[str, tuple[str, ...]]:
    names = tuple(f"id{n}" for n in range(size))
    return ", ".join(f":{name}" for name in names), names


_NAMED_SQL = sqlite.dialect(paramstyle="named")


def as_text(statement: ClauseElement) -> tuple[str, dict[str, Any]]:
    """A SQLAlchemy statement as the row readers take it: `:name` parameters, their values plain
    (an enum's value). Compiled without an engine's extensions, as SQL both engines read: for
    the queries defined once for the ORM that a layer before routing also runs."""
    compiled = statement.compile(dialect=_NAMED_SQL, compile_kwargs={"render_postcompile": True})
    params = {
        name: value.value if isinstance(value, Enum) else value
        for name, value in compiled.params.items()
    }
    return str(compiled), params
