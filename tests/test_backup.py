"""Backup and restore: the whole registry out to one file and into an empty database, with the
same checksum at both ends, on both engines."""

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlmodel import Session
from typer.testing import CliRunner

from app.backup.codec import checksum
from app.backup.service import BackupError, backup, restore
from app.cli import app as cli
from app.core.config import get_settings
from app.core.db import reset_engine
from app.keys.models import Role
from app.keys.service import KeySpec, issue_key
from app.main import create_app
from app.updates.models import ImplementationUpdate
from tests.conftest import auth, serve_from
from tests.databases import engine_for, throwaway_database

UPDATE = {
    "period_start": "2025-01-01",
    "period_end": "2025-12-31",
    "summary": "Progress — with non-ASCII text: é, ü, 中文.",
}


def _key(engine: Engine, spec: KeySpec) -> str:
    with Session(engine) as session:
        issued = issue_key(session, spec, "test")
        session.commit()
    return issued.plaintext


def _use_the_registry(engine: Engine) -> None:
    """Writes through the API, so that keys, audit, drafts and idempotency records exist."""
    company = _key(engine, KeySpec(Role.COMPANY, "meta", company="meta"))
    with TestClient(serve_from(create_app(), engine)) as client:
        headers = auth(company) | {"Idempotency-Key": "backup-1"}
        assert client.post("/api/v1/updates", json=UPDATE, headers=headers).status_code == 201
        draft = client.post("/api/v1/updates", json=UPDATE, headers=auth(company))
        assert draft.status_code == 201


def _checksum(engine: Engine) -> str:
    with engine.connect() as connection:
        return checksum(connection)


@pytest.mark.parametrize("name", ["registry.jsonl", "registry.jsonl.gz"])
def test_round_trip_gives_identical_checksums(live_engine, engine_name, tmp_path, name):
    _use_the_registry(live_engine)
    path = tmp_path / name
    written = backup(live_engine, path)
    assert written.checksum == _checksum(live_engine)
    assert written.rows["audit_record"] >= 2
    assert written.rows["idempotency_record"] == 1
    with throwaway_database(engine_name, tmp_path / "target") as url:
        target = engine_for(url)
        try:
            restored = restore(target, path)
            assert restored.checksum == written.checksum == _checksum(target)
            assert restored.rows == written.rows
            _the_restored_registry_takes_new_writes(target)
        finally:
            target.dispose()


def _the_restored_registry_takes_new_writes(engine: Engine) -> None:
    """Ids continue after the restored ones (PostgreSQL's sequences were moved on)."""
    key = _key(engine, KeySpec(Role.COMPANY, "meta again", company="meta"))
    with Session(engine) as session:
        highest = session.execute(select(func.max(ImplementationUpdate.id))).scalar_one()
    with TestClient(serve_from(create_app(), engine)) as client:
        response = client.post("/api/v1/updates", json=UPDATE, headers=auth(key))
    assert response.status_code == 201
    assert response.json()["id"] > highest


def test_a_sqlite_backup_restores_into_postgresql(tmp_path):
    with throwaway_database("sqlite", tmp_path / "a") as source_url:
        source = engine_for(source_url)
        try:
            from app.core import migrations  # noqa: PLC0415
            from app.seeding.loader import load_seed  # noqa: PLC0415

            migrations.upgrade(source)
            with Session(source) as session:
                load_seed(session)
            _use_the_registry(source)
            written = backup(source, tmp_path / "registry.jsonl")
        finally:
            source.dispose()
    with throwaway_database("postgresql", tmp_path / "b") as target_url:
        target = engine_for(target_url)
        try:
            assert restore(target, tmp_path / "registry.jsonl").checksum == written.checksum
        finally:
            target.dispose()


def test_restore_refuses_a_database_that_is_not_empty(live_engine, tmp_path):
    path = tmp_path / "registry.jsonl"
    backup(live_engine, path)
    before = _checksum(live_engine)
    with pytest.raises(BackupError, match="not empty"):
        restore(live_engine, path)
    assert _checksum(live_engine) == before


def _rewritten(source: Path, target: Path, change) -> Path:
    lines = source.read_text(encoding="utf-8").splitlines()
    target.write_text("\n".join(change(lines)) + "\n", encoding="utf-8")
    return target


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda lines: lines[:-1], "truncated"),
        (lambda lines: ["not json", *lines[1:]], "not a VP Registry backup"),
        (lambda lines: [json.dumps({"format": "other"}), *lines[1:]], "not a vp-registry-backup"),
        (lambda lines: [*lines[:-1], json.dumps({"checksum": "0" * 64})], "checksum"),
    ],
)
def test_restore_refuses_damaged_files_and_leaves_the_target_empty(
    live_engine, engine_name, tmp_path, change, message
):
    good = tmp_path / "good.jsonl"
    backup(live_engine, good)
    damaged = _rewritten(good, tmp_path / "damaged.jsonl", change)
    with throwaway_database(engine_name, tmp_path / "target") as url:
        target = engine_for(url)
        try:
            with pytest.raises(BackupError, match=message):
                restore(target, damaged)
            with target.connect() as connection:
                rows = connection.execute(select(func.count()).select_from(ImplementationUpdate))
                assert rows.scalar() == 0
        finally:
            target.dispose()


def test_the_cli_backs_up_and_restores(live_engine, engine_name, tmp_path, monkeypatch):
    path = tmp_path / "registry.jsonl.gz"
    runner = CliRunner()
    source_url = live_engine.url.render_as_string(hide_password=False)
    with throwaway_database(engine_name, tmp_path / "target") as target_url:
        for url, command in ((source_url, "backup"), (target_url, "restore")):
            monkeypatch.setenv("VPR_DATABASE_URL", url)
            get_settings.cache_clear()
            reset_engine()
            result = runner.invoke(cli, [command, str(path)])
            assert result.exit_code == 0, result.output
            assert _checksum(live_engine) in result.output.replace("\n", "")
        again = runner.invoke(cli, ["restore", str(path)])
        assert again.exit_code == 2
        assert "not empty" in again.output
    reset_engine()
    get_settings.cache_clear()
