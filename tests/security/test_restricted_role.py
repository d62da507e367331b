"""The service can run as a database role that owns nothing (issue 13, finding 6): `vpr migrate
--app-role` as the owner grants row access only, and that role cannot alter a table, switch off
the audit trail's triggers, or delete, change or truncate an audit record."""

import secrets
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from psycopg import sql
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session
from typer.testing import CliRunner

from app.cli import app as cli
from app.core.config import get_settings
from app.core.db import reset_engine
from app.keys.models import Role
from app.keys.service import KeySpec, issue_key
from app.main import create_app
from tests.conftest import auth, serve_from
from tests.databases import _admin, engine_for

FORBIDDEN_TO_THE_APP = [
    "ALTER TABLE audit_record DISABLE TRIGGER ALL",
    "DELETE FROM audit_record",
    "UPDATE audit_record SET actor = 'someone else'",
    "TRUNCATE audit_record",
    "DROP TABLE company_status",
    "UPDATE alembic_version SET version_num = 'x'",
]


@pytest.fixture
def migrated_by_owner(fresh_database_url, monkeypatch) -> Iterator[tuple[str, str]]:
    """A database migrated and seeded by its owner, with a login role for the service."""
    monkeypatch.setenv("VPR_DATABASE_URL", fresh_database_url)
    get_settings.cache_clear()
    reset_engine()
    role = f"vpr_app_{secrets.token_hex(4)}"
    if make_url(fresh_database_url).get_backend_name() == "postgresql":
        _admin(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)))
    try:
        yield fresh_database_url, role
    finally:
        reset_engine()
        get_settings.cache_clear()
        if make_url(fresh_database_url).get_backend_name() == "postgresql":
            owner = engine_for(fresh_database_url)
            with owner.begin() as connection:  # what the role was granted, in this database
                connection.execute(text(f'DROP OWNED BY "{role}"'))
            owner.dispose()
            _admin(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))


def test_the_service_runs_as_a_role_that_owns_nothing(migrated_by_owner, engine_name):
    url, role = migrated_by_owner
    runner = CliRunner()
    migrated = runner.invoke(cli, ["migrate", "--app-role", role])
    if engine_name == "sqlite":
        assert migrated.exit_code == 2
        assert "no database roles" in migrated.output
        return
    assert migrated.exit_code == 0, migrated.output
    assert runner.invoke(cli, ["seed"]).exit_code == 0
    owner = engine_for(url)
    with Session(owner) as session:
        admin = issue_key(session, KeySpec(Role.ADMIN, "ops"), "test").plaintext
    # The owner could: the difference is the role's.
    with owner.connect() as connection, connection.begin() as undone:
        connection.execute(text(FORBIDDEN_TO_THE_APP[0]))
        undone.rollback()
    owner.dispose()

    as_app = engine_for(make_url(url).set(username=role).render_as_string(hide_password=False))
    try:
        with TestClient(serve_from(create_app(), as_app)) as client:
            created = client.post(
                "/api/v1/companies", json={"slug": "newco", "name": "NewCo"}, headers=auth(admin)
            )
            assert created.status_code == 201, created.text
            assert client.get("/api/v1/companies/newco").status_code == 200
            assert client.get("/api/v1/audit", headers=auth(admin)).status_code == 200
        for statement in FORBIDDEN_TO_THE_APP:
            with pytest.raises(DBAPIError), as_app.begin() as connection:
                connection.execute(text(statement))
    finally:
        as_app.dispose()
