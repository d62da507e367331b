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


def test_keys_from_the_command_line(cli_database):
    runner = CliRunner()
    assert runner.invoke(cli, ["migrate"]).exit_code == 0
    assert runner.invoke(cli, ["seed"]).exit_code == 0
    created = runner.invoke(cli, ["keys", "create", "--role", "company", "--company", "meta"])
    assert created.exit_code == 0, created.output
    key = created.output.strip().splitlines()[-1]
    assert key.startswith("vpr_")
    key_id = key.split("_")[1]

    listed = runner.invoke(cli, ["keys", "list"], env={"COLUMNS": "200"})
    assert key_id in listed.output
    assert key not in listed.output

    rotated = runner.invoke(cli, ["keys", "rotate", key_id])
    assert rotated.exit_code == 0, rotated.output
    new_key = rotated.output.strip().splitlines()[-1]
    assert new_key.startswith("vpr_")
    assert new_key != key
    assert runner.invoke(cli, ["keys", "revoke", new_key.split("_")[1]]).exit_code == 0

    refused = runner.invoke(cli, ["keys", "create", "--role", "company"])
    assert refused.exit_code == 2
    assert "exactly one company" in refused.output


def test_without_a_secret_key_one_is_generated_once_and_kept_private(tmp_path):
    from app.core.security import _secret_from_file  # noqa: PLC0415

    settings = Settings(data_dir=tmp_path, secret_key=None)
    first = _secret_from_file(settings)
    assert len(first) >= 32
    assert _secret_from_file(settings) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
