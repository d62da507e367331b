"""Throwaway databases for the tests: a SQLite file, or a new PostgreSQL database."""

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
import redis
from psycopg import sql
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from app.core.config import Settings
from app.core.db import build_engine

ENGINES = ("sqlite", "postgresql")
POSTGRES_ADMIN_URL = os.environ.get(
    "VPR_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _unreachable(service: str, url: str, reason: str) -> None:
    message = f"{service} at {url} is unreachable: {reason}"
    if _in_ci():
        pytest.fail(f"{message} (CI=true: the {service} run is required)", pytrace=False)
    pytest.skip(f"{message}; set CI=true to make this a failure")


def _postgres_unreachable(reason: str) -> None:
    _unreachable("PostgreSQL", POSTGRES_ADMIN_URL, reason)


TEST_REDIS_URL = os.environ.get("VPR_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def reachable_redis_url() -> str:
    """The test Redis, checked with a PING (a failure under CI=true, else a skip)."""
    client = redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        _unreachable("Redis", TEST_REDIS_URL, str(exc))
    finally:
        client.close()
    return TEST_REDIS_URL


def _admin(statement: sql.Composed) -> None:
    # A connection per statement: the fault test restarts PostgreSQL while databases exist.
    try:
        admin = psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        _postgres_unreachable(str(exc).strip().splitlines()[0])
        raise  # unreachable: skip/fail raise
    with admin:
        admin.execute(statement)


@contextmanager
def _postgres_database() -> Iterator[str]:
    database = f"vpr_test_{os.getpid()}_{secrets.token_hex(4)}"
    name = sql.Identifier(database)
    _admin(sql.SQL("CREATE DATABASE {}").format(name))
    try:
        url = make_url(POSTGRES_ADMIN_URL).set(drivername="postgresql+psycopg", database=database)
        yield url.render_as_string(hide_password=False)
    finally:
        _admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))


@contextmanager
def throwaway_database(engine_name: str, directory: Path) -> Iterator[str]:
    """Yield the URL of a new, empty database; remove it afterwards."""
    if engine_name == "postgresql":
        with _postgres_database() as url:
            yield url
        return
    path = directory / f"vpr_test_{secrets.token_hex(4)}.sqlite3"
    try:
        yield f"sqlite:///{path}"
    finally:
        for leftover in directory.glob(f"{path.name}*"):  # the database and its WAL files
            leftover.unlink()


def engine_for(url: str) -> Engine:
    return build_engine(Settings(database_url=url, db_pool_size=5, db_max_overflow=5))
