"""Every difference between SQLite and PostgreSQL lives behind one seam per engine.

Services ask `engines.of(session)` (or `for_url`) for the engine and call its methods; nothing
else in the app branches on the dialect. `base.py` says what an engine provides.
"""

from sqlalchemy import Connection, Engine
from sqlalchemy.engine import make_url
from sqlmodel import Session

from app.engines.base import DatabaseEngine
from app.engines.postgres import PostgresEngine
from app.engines.sqlite import SqliteEngine

_ENGINES: dict[str, DatabaseEngine] = {"sqlite": SqliteEngine(), "postgresql": PostgresEngine()}


def for_dialect(name: str) -> DatabaseEngine:
    try:
        return _ENGINES[name]
    except KeyError:
        raise ValueError(f"unsupported database engine {name!r}") from None


def for_url(database_url: str) -> DatabaseEngine:
    return for_dialect(make_url(database_url).get_backend_name())


def of(bound: Session | Connection | Engine) -> DatabaseEngine:
    """The engine behind a session, a connection or a SQLAlchemy engine."""
    bind = bound.get_bind() if isinstance(bound, Session) else bound
    return for_dialect(bind.dialect.name)
