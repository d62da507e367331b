"""Engine, sessions and the metadata every table hangs on."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, Concatenate, ParamSpec, TypeVar

from fastapi import Depends
from sqlalchemy import Engine, MetaData, Select, create_engine, event
from sqlalchemy.engine import make_url
from sqlmodel import Session, SQLModel

from app.core.config import Settings, get_settings

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


WRITE_OPTION = "vpr_write"


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, issue BEGIN so SAVEPOINTs work (SQLAlchemy's recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A write transaction takes the write lock up front: a deferred one that reads and then
        # writes fails at once (SQLITE_BUSY) if another writer committed in between.
        immediate = conn.get_execution_options().get(WRITE_OPTION)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def build_engine(settings: Settings) -> Engine:
    if settings.is_sqlite:
        _ensure_sqlite_dir(settings.database_url)
        engine = create_engine(
            settings.database_url,
            connect_args={"check_same_thread": False},
            pool_size=settings.db_pool_size,
            max_overflow=settings.db_max_overflow,
            pool_timeout=settings.db_pool_timeout_s,
        )
        _configure_sqlite(engine, settings.sqlite_busy_timeout_ms)
        return engine
    return create_engine(
        settings.database_url,
        pool_pre_ping=True,  # survive a PostgreSQL restart without failing requests
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_timeout=settings.db_pool_timeout_s,
    )


def _ensure_sqlite_dir(url: str) -> None:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)


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


def new_session() -> Session:
    # Objects stay readable after commit: responses are built from them after the write.
    return Session(get_engine(), expire_on_commit=False)


def get_session() -> Iterator[Session]:
    """One session per request. Service functions commit their writes (one place commits)."""
    with new_session() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


@contextmanager
def writing(session: Session) -> Iterator[None]:
    """One write transaction: committed at the end, rolled back on any error.

    Any read transaction is ended first, so that on SQLite the write takes its lock up front
    (BEGIN IMMEDIATE) instead of failing when another writer commits in between.
    """
    if session.in_transaction():
        session.commit()
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
