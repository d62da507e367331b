"""Engine, sessions, the unit of work (`writing`, `@transactional`: the one place writes
commit) and the metadata every table hangs on."""

from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from functools import wraps
from typing import Annotated, Any, Concatenate, ParamSpec, TypeVar

from fastapi import Depends
from sqlalchemy import Engine, MetaData, Select, event
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import SessionTransaction
from sqlmodel import Session, SQLModel

from app import engines
from app.core.config import Settings, get_settings
from app.engines.base import WRITE_OPTION

P = ParamSpec("P")
R = TypeVar("R")

# Stable constraint names keep autogenerate identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata.naming_convention = NAMING_CONVENTION
metadata: MetaData = SQLModel.metadata


def build_engine(settings: Settings) -> Engine:
    return engines.for_url(settings.database_url).create_engine(settings)


_engine: Engine | None = None


def get_engine() -> Engine:
    global _engine  # noqa: PLW0603 - one engine per process, built lazily from settings
    if _engine is None:
        _engine = build_engine(get_settings())
    return _engine


def reset_engine() -> None:
    """Forget the engine (after settings change, e.g. in the CLI's tests)."""
    global _engine  # noqa: PLW0603
    if _engine is not None:
        _engine.dispose()
    _engine = None


EngineDep = Annotated[Engine, Depends(get_engine)]


# Set while a session holds flushed writes that no commit or rollback has ended yet.
_UNCOMMITTED_WRITES = "vpr_uncommitted_writes"
# Set on the app's own sessions. (The test suite's shared session arranges rows by flushing them
# itself; a write there commits them into the test's enclosing transaction, as before.)
REFUSE_UNOWNED_WRITES = "vpr_refuse_unowned_writes"


def new_session(engine: Engine | None = None) -> Session:
    # Objects stay readable after commit (the CLI prints what a write returned).
    session = Session(engine or get_engine(), expire_on_commit=False)
    session.info[REFUSE_UNOWNED_WRITES] = True
    return session


async def get_session() -> AsyncIterator[Session]:
    """One session per request. Reads run in its autobegun transaction; writes run in the
    `@transactional` services, the one place that commits. Whatever is left is rolled back.

    Async so that closing it runs on the event loop: a sync dependency's exit needs a worker
    thread, and when every worker thread waits for a pooled connection that finished requests
    still hold until their exit runs, nothing moves until the pool times out (seen under 32
    concurrent requests: 503s and seconds-long p99). Closing returns the connection at once."""
    session = new_session()
    try:
        yield session
    finally:
        session.close()


SessionDep = Annotated[Session, Depends(get_session)]


def give_back_connection(session: Session) -> None:
    """Give the request's connection back to the pool now, before a long wait or a slow send (a
    large file: the session's own close runs only after the last byte is sent). The app's own
    sessions only; a session handed in from outside (the tests') holds its owner's data."""
    if session.info.get(REFUSE_UNOWNED_WRITES):
        session.close()


# Opens a session that sees one committed state of the whole database until it closes (what a
# bulk export needs: every table at one data version). A dependency so that the tests, whose
# data lives in one uncommitted transaction, can hand their own session instead.
Snapshots = Callable[[], AbstractContextManager[Session]]


def get_snapshots(engine: EngineDep) -> Snapshots:
    @contextmanager
    def snapshot() -> Iterator[Session]:
        with engines.of(engine).snapshot(engine) as connection, Session(bind=connection) as session:
            yield session

    return snapshot


SnapshotsDep = Annotated[Snapshots, Depends(get_snapshots)]


@event.listens_for(OrmSession, "after_flush")
def _note_writes(session: OrmSession, _context: Any) -> None:
    session.info[_UNCOMMITTED_WRITES] = True


@event.listens_for(OrmSession, "after_transaction_end")
def _forget_writes(session: OrmSession, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the session's own transaction, not a nested savepoint
        session.info.pop(_UNCOMMITTED_WRITES, None)


def _holds_writes(session: Session) -> bool:
    pending = session.new or session.dirty or session.deleted
    return bool(pending) or bool(session.info.get(_UNCOMMITTED_WRITES))


@contextmanager
def writing(session: Session) -> Iterator[None]:
    """One write transaction: committed at the end, rolled back on any error.

    The request's read transaction, if one is open, is ended first (rolled back: it holds
    nothing to keep), so that on SQLite the write takes its lock up front (BEGIN IMMEDIATE)
    instead of failing when another writer commits in between. Writes that no transaction owns
    are a bug, refused rather than committed here.
    """
    if session.in_transaction():
        if not session.info.get(REFUSE_UNOWNED_WRITES):
            session.commit()  # the test suite's arranged rows join its enclosing transaction
        elif _holds_writes(session):
            raise RuntimeError("uncommitted writes outside a write transaction")
        else:
            session.rollback()  # a read-only transaction: nothing in it is kept
    session.connection(execution_options={WRITE_OPTION: True})
    try:
        yield
        session.commit()
    except BaseException:
        session.rollback()
        raise


def transactional(
    func: Callable[Concatenate[Session, P], R],
) -> Callable[Concatenate[Session, P], R]:
    """Run a service function in its own write transaction: the one place writes commit."""

    @wraps(func)
    def wrapper(session: Session, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with writing(session):
            return func(session, *args, **kwargs)

    return wrapper


# A SELECT of any columns: services compose these before deciding what to fetch.
AnySelect = Select[*tuple[Any, ...]]


def moved_counts(shares: Callable[[], Counter[Any]], replace: Callable[[], None]) -> Counter[Any]:
    """A read model's rows of one company replaced: how far each of its count keys moved (only
    the keys that did), for the counters kept beside those rows."""
    before = shares()
    replace()
    moved = shares()
    moved.subtract(before)
    return Counter({key: amount for key, amount in moved.items() if amount})


DOCUMENT_CHUNK = 500  # rows rendered per round of statements


def replace_rendered(
    session: Session,
    keys: Sequence[Any],
    ids: Iterable[int],
    render: Callable[[Session, list[int]], list[dict[str, Any]]],
) -> int:
    """Rows of the tables of `keys` (their id columns) for these ids, rendered again by
    `render` (the stored documents of `app/companies/documents.py` and
    `app/updates/documents.py`), a chunk at a time: each chunk's old rows deleted, its new ones
    rendered once and inserted, each table taking its own columns. How many were stored."""
    pending = list(ids)
    stored = 0
    for start in range(0, len(pending), DOCUMENT_CHUNK):
        chunk = pending[start : start + DOCUMENT_CHUNK]
        for key in keys:
            session.execute(key.table.delete().where(key.in_(chunk)))
        rows = render(session, chunk)
        if rows:
            for key in keys:
                session.execute(key.table.insert(), columns_of(key.table, rows))
        stored += len(rows)
    return stored


def columns_of(table: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows as `table` takes them: only its columns (a rendering may fill several tables)."""
    names = table.c.keys()
    if rows and set(rows[0]) == set(names):
        return rows
    return [{name: row[name] for name in names} for row in rows]
