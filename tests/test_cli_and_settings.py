"""`vpr migrate` and `vpr seed` on a fresh database; settings read from VPR_* variables."""

from collections.abc import Iterator

import pytest
from pydantic import ValidationError
from sqlalchemy import inspect
from typer.testing import CliRunner

from app.cli import app as cli
from app.core.config import Settings, get_settings
from app.core.db import reset_engine
from tests.databases import engine_for


@pytest.fixture
def cli_database(fresh_database_url, monkeypatch) -> Iterator[str]:
    monkeypatch.setenv("VPR_DATABASE_URL", fresh_database_url)
    get_settings.cache_clear()
    reset_engine()
    yield fresh_database_url
    reset_engine()
    get_settings.cache_clear()


def test_migrate_seed_and_downgrade(cli_database):
    runner = CliRunner()
    migrated = runner.invoke(cli, ["migrate"])
    assert migrated.exit_code == 0, migrated.output
    assert "empty ->" in migrated.output

    first = runner.invoke(cli, ["seed"])
    assert first.exit_code == 0, first.output
    assert "principles" in first.output
    again = runner.invoke(cli, ["seed"])
    assert "nothing new to add" in again.output

    down = runner.invoke(cli, ["migrate", "--downgrade", "base"])
    assert down.exit_code == 0, down.output
    reset_engine()
    engine = engine_for(cli_database)
    try:
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    finally:
        engine.dispose()


def test_settings_come_from_vpr_variables(monkeypatch):
    monkeypatch.setenv("VPR_DATABASE_URL", "postgresql://postgres@db.internal/vpr")
    monkeypatch.setenv("VPR_SECRET_KEY", "s" * 40)
    settings = Settings()
    assert settings.database_url == "postgresql+psycopg://postgres@db.internal/vpr"
    assert not settings.is_sqlite
    assert settings.thread_limit == settings.db_pool_size + settings.db_max_overflow


@pytest.mark.parametrize(
    ("name", "value"),
    [("VPR_DATABASE_URL", "mysql://x/y"), ("VPR_SECRET_KEY", "short"), ("VPR_DB_POOL_SIZE", "0")],
)
def test_bad_settings_are_refused(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError):
        Settings()
