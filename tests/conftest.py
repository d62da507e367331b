"""Fixtures: every test runs once per database engine, inside a transaction rolled back after it.

Each engine gets one throwaway database per run, migrated to head and seeded; tests that need an
empty database of their own use `fresh_database_url`.
"""

import os

# Before the app is imported (its settings are read once): keys are hashed with this secret in
# tests, so no secret file is written into the work tree.
os.environ.setdefault("VPR_SECRET_KEY", "test-secret-not-for-production-0123456789")
# The response cache reads committed data; tests of it turn it on with a database of their own.
os.environ.setdefault("VPR_RESPONSE_CACHE", "false")
# The suite sends thousands of requests from one address; tests of the limits build their own.
os.environ.setdefault("VPR_RATE_LIMIT", "false")

from collections.abc import Iterator
from contextlib import AbstractAsyncContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any

import httpx2
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from app.core import anchors, migrations
from app.core.db import get_engine, get_session, get_snapshots
from app.core.rows import SessionRows
from app.engines.base import UnavailableError
from app.exports.service import get_export_store
from app.exports.store import ExportStore
from app.keys.models import Role
from app.keys.service import KeySpec, issue_key
from app.main import create_app
from app.seeding.loader import load_seed
from tests.databases import ENGINES, engine_for, throwaway_database
from tests.servers import Instance

pytest_plugins = ["tests.layers"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--engines",
        default=",".join(ENGINES),
        help="Comma-separated database engines to run the suite on (sqlite,postgresql).",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The fault test restarts the PostgreSQL server every other test uses: it goes last.
    items.sort(key=lambda item: item.get_closest_marker("fault") is not None)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "engine_name" in metafunc.fixturenames:
        chosen = [e for e in metafunc.config.getoption("engines").split(",") if e]
        unknown = set(chosen) - set(ENGINES)
        if unknown:
            raise pytest.UsageError(f"unknown engines: {sorted(unknown)}")
        metafunc.parametrize("engine_name", chosen, scope="session", indirect=True)


@pytest.fixture(scope="session")
def engine_name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def engine(engine_name: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """The run's database for this engine: migrated to head and seeded once."""
    with throwaway_database(engine_name, tmp_path_factory.mktemp("db")) as url:
        engine = engine_for(url)
        try:
            migrations.upgrade(engine)
            with Session(engine) as session:
                load_seed(session)
            yield engine
        finally:
            engine.dispose()


@pytest.fixture
def fresh_database_url(engine_name: str, tmp_path: Path) -> Iterator[str]:
    """An empty database of the current engine, for tests of migrations and seeding."""
    with throwaway_database(engine_name, tmp_path) as url:
        yield url


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session whose work, commits included, is rolled back after the test."""
    anchors.forget()  # positions found in another test's rolled-back order
    connection = engine.connect()
    transaction = connection.begin()
    session = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    try:
        yield session
    finally:
        session.close()
        transaction.rollback()
        connection.close()


@pytest.fixture(scope="session")
def app() -> FastAPI:
    return create_app()


@pytest.fixture
def client(app: FastAPI, session: Session, engine: Engine, tmp_path: Path) -> Iterator[TestClient]:
    app.dependency_overrides[get_session] = lambda: session
    app.dependency_overrides[get_engine] = lambda: engine
    # Exports read one snapshot: here, the test's own transaction, where its rows are.
    app.dependency_overrides[get_snapshots] = lambda: lambda: nullcontext(session)
    # ... and each test's rolled-back data reuses the clock's numbers: its own stored exports.
    app.dependency_overrides[get_export_store] = lambda: ExportStore(tmp_path / "exports")
    rows = app.state.rows
    app.state.rows = SessionRows(session)  # the key, the clock, stored documents: its rows too
    try:
        with TestClient(app) as test_client:
            yield test_client
    finally:
        app.dependency_overrides.clear()
        app.state.rows = rows


class StatementLog:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def __len__(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_statements(engine: Engine) -> Any:
    """Context manager that records every SQL statement the engine runs inside it."""

    @contextmanager
    def counting() -> Iterator[StatementLog]:
        log = StatementLog()

        def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
                log.statements.append(statement)

        event.listen(engine, "before_cursor_execute", record)
        try:
            yield log
        finally:
            event.remove(engine, "before_cursor_execute", record)

    return counting


@pytest.fixture
def keys(session: Session) -> dict[str, str]:
    """One live key per role (rolled back with the test): role name -> plaintext."""
    specs = {
        "admin": KeySpec(Role.ADMIN, "test admin"),
        "government": KeySpec(Role.GOVERNMENT, "test gov", government="UK Home Office"),
        "ngo": KeySpec(Role.NGO, "test ngo"),
        "company": KeySpec(Role.COMPANY, "meta key", company="meta"),
        "other_company": KeySpec(Role.COMPANY, "google key", company="google"),
    }
    return {name: issue_key(session, spec, "test").plaintext for name, spec in specs.items()}


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@contextmanager
def live_database(engine_name: str, directory: Path) -> Iterator[Engine]:
    """A migrated, seeded throwaway database where every request really commits."""
    with throwaway_database(engine_name, directory) as url:
        engine = engine_for(url)
        migrations.upgrade(engine)
        with Session(engine) as session:
            load_seed(session)
        try:
            yield engine
        finally:
            engine.dispose()


@contextmanager
def served_registry(
    engine_name: str, directory: Path, spec: KeySpec
) -> Iterator[tuple[Instance, str, str]]:
    """A real `vpr serve` over a live database, unlimited, with one key issued: (instance, the
    key's plaintext, the database URL)."""
    with live_database(engine_name, directory) as engine:
        with Session(engine) as session:
            key = issue_key(session, spec, "test").plaintext
            session.commit()
        url = engine.url.render_as_string(hide_password=False)
        instance = Instance("served", url, directory, {"VPR_RATE_LIMIT": "false"})
        instance.start()
        try:
            yield instance, key, url
        finally:
            instance.stop()


def submit_over_http(instance: Instance, key: str, body: dict[str, Any]) -> dict[str, Any]:
    """A company's draft created and submitted on a served registry: the submitted update."""
    with httpx2.Client(base_url=instance.url, headers=auth(key)) as client:
        draft = client.post("/api/v1/updates", json=body)
        done = client.post(
            f"{draft.json()['url']}/submit", headers={"If-Match": draft.headers["etag"]}
        )
        assert done.status_code == 200, done.text
        return dict(done.json())


@pytest.fixture
def live_engine(engine_name: str, tmp_path: Path) -> Iterator[Engine]:
    """A database of its own for this test, on the engine of the run."""
    with live_database(engine_name, tmp_path) as engine:
        yield engine


def answer_when_engine_raises(
    app: FastAPI, error: Exception, headers: dict[str, str] | None = None
) -> Any:
    """GET /readyz with the engine dependency raising `error`: how the app answers failures."""

    def failing() -> None:
        raise error

    app.dependency_overrides[get_engine] = failing
    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            return client.get("/readyz", headers=headers)
    finally:
        app.dependency_overrides.clear()


def serve_from(app: FastAPI, engine: Engine) -> FastAPI:
    """Point an app at an engine with real, committing sessions (one app = one instance)."""

    def real_session() -> Iterator[Session]:
        with Session(engine, expire_on_commit=False) as session:
            yield session

    app.dependency_overrides[get_session] = real_session
    app.dependency_overrides[get_engine] = lambda: engine
    app.state.rows = EngineRows(engine)
    return app


class EngineRows:
    """The app's async row reader over a test's engine: each read in a connection of its own."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    async def row(self, sql: str, params: dict[str, Any] | None = None) -> tuple[Any, ...] | None:
        found = await self.rows(sql, params)
        return found[0] if found else None

    async def rows(self, sql: str, params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
        try:
            with self.engine.connect() as connection:
                return [tuple(found) for found in connection.execute(text(sql), params or {})]
        except DBAPIError as exc:  # as the app's readers say it
            raise UnavailableError(str(exc)) from exc

    def held(self) -> AbstractAsyncContextManager[object]:
        return nullcontext()  # each read in a connection of its own, as said

    async def aclose(self) -> None:
        return None
