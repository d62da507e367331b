"""The registry's log end to end, on both engines: every public change from the seed on is a
leaf appended by its own transaction (drafts are not), checkpoints verify with the published key
and extend each other, and a row changed behind the app's back makes the next verification of
that record fail, naming it. The log's own rows refuse to change."""

import ast
import copy
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx2
import pytest
from sqlalchemy import Connection, create_engine, text
from sqlalchemy.exc import DBAPIError

from app.keys.models import Role
from app.keys.service import KeySpec
from app.log import proofs, verifier
from tests.conftest import auth, served_registry, submit_over_http
from tests.servers import Instance
from tests.test_updates_workflow import DRAFT


@pytest.fixture
def registry(engine_name: str, tmp_path: Path) -> Iterator[tuple[Instance, str, str]]:
    with served_registry(
        engine_name, tmp_path, KeySpec(Role.COMPANY, "m", company="meta")
    ) as found:
        yield found


def _key(instance: Instance) -> proofs.VerifierKey:
    return proofs.VerifierKey.parse(
        httpx2.get(f"{instance.url}/api/v1/log/key").json()["verifier_key"]
    )


def _submit(instance: Instance, key: str) -> dict[str, Any]:
    return submit_over_http(instance, key, copy.deepcopy(DRAFT))


@contextmanager
def _database(url: str) -> Iterator[Connection]:
    """A connection of its own, in one transaction, behind the app's back."""
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            yield connection
    finally:
        engine.dispose()


def _count(url: str, statement: str) -> int:
    with _database(url) as connection:
        return int(connection.execute(text(statement)).scalar_one())


def test_every_public_change_is_a_leaf_and_checkpoints_extend(registry):
    instance, key, url = registry
    public = _count(url, "SELECT count(*) FROM audit_record WHERE audience = 'public'")
    assert _count(url, "SELECT count(*) FROM log_leaf") == public > 0  # the seed's, all of them
    registry_log = verifier.Registry(instance.url)
    before, failures = verifier.verify(registry_log, _key(instance), None, [])
    assert failures == []
    assert before.size == public
    with httpx2.Client(base_url=instance.url, headers=auth(key)) as client:
        client.post("/api/v1/updates", json=DRAFT)  # a draft: nothing public, nothing logged
    assert _count(url, "SELECT count(*) FROM log_leaf") == public
    update = _submit(instance, key)
    after, failures = verifier.verify(
        registry_log, _key(instance), before.text, [update["url"], "/api/v1/companies/meta"]
    )
    assert failures == []
    assert after.size > before.size
    seqs = _rows(url, "SELECT idx, seq FROM log_leaf ORDER BY idx")
    assert [index for index, _ in seqs] == list(range(len(seqs)))  # no gap
    assert [seq for _, seq in seqs] == sorted(seq for _, seq in seqs)  # commit order


def _rows(url: str, statement: str) -> list[tuple[int, int]]:
    with _database(url) as connection:
        return [(int(row[0]), int(row[1])) for row in connection.execute(text(statement))]


def test_a_row_changed_behind_the_apps_back_fails_its_verification(registry):
    instance, _key_text, url = registry
    with _database(url) as connection:
        connection.execute(text("UPDATE company SET name = 'Meta Platforms' WHERE slug = 'meta'"))
    _, failures = verifier.verify(
        verifier.Registry(instance.url), _key(instance), None,
        ["/api/v1/companies/meta", "/api/v1/companies/google"],
    )  # fmt: skip
    assert len(failures) == 1
    assert failures[0].startswith("/api/v1/companies/meta: its public state now is not the one")


@pytest.mark.parametrize("statement", [
    "UPDATE log_leaf SET data = '{}' WHERE idx = 0",
    "DELETE FROM log_leaf WHERE idx = 0",
    "UPDATE log_node SET hash = hash WHERE level = 0 AND idx = 0",
])  # fmt: skip
def test_the_log_refuses_to_change(registry, statement):
    _, _, url = registry
    with pytest.raises(DBAPIError, match="append-only"), _database(url) as connection:
        connection.execute(text(statement))


def test_a_rewritten_leaf_fails_inclusion(registry, engine_name):
    """Even its owner, disabling the triggers, cannot rewrite a leaf unseen."""
    instance, _, url = registry
    before, _ = verifier.verify(verifier.Registry(instance.url), _key(instance), None, [])
    off, on = (
        ("ALTER TABLE log_leaf DISABLE TRIGGER USER", "ALTER TABLE log_leaf ENABLE TRIGGER USER")
        if engine_name == "postgresql"
        else ("DROP TRIGGER log_leaf_no_update", "SELECT 1")
    )
    with _database(url) as connection:
        connection.execute(text(off))
        connection.execute(text(
            "UPDATE log_leaf SET data = replace(data, 'company.created', 'company.changed') "
            "WHERE url = '/api/v1/companies/meta'"
        ))  # fmt: skip
        connection.execute(text(on))
    _, failures = verifier.verify(
        verifier.Registry(instance.url), _key(instance), before.text, ["/api/v1/companies/meta"]
    )
    assert failures
    assert failures[0].startswith("/api/v1/companies/meta: leaf")


@pytest.mark.parametrize("module", [verifier, proofs])
def test_the_standalone_verifier_imports_nothing_of_the_project(module):
    """`verifier.py` and `proofs.py` run as two files, with nothing else of the project."""
    tree = ast.parse(Path(module.__file__ or "").read_text())
    imported = {
        name
        for node in ast.walk(tree)
        for name in (
            [alias.name for alias in node.names] if isinstance(node, ast.Import)
            else [f"{node.module}.{alias.name}" for alias in node.names]
            if isinstance(node, ast.ImportFrom) and node.module else []
        )
    }  # fmt: skip
    beside = {"proofs", "app.log.proofs"}  # the other file, as a file or as the package's
    assert {name.split(".")[0] for name in imported - beside} <= {
        "argparse", "base64", "hashlib", "json", "sys", "urllib", "dataclasses", "typing",
        "rfc8785", "cryptography",
    }  # fmt: skip


def test_the_data_names_the_checkpoint_it_matches(registry):
    instance, key, _ = registry
    _submit(instance, key)
    package = httpx2.get(f"{instance.url}/api/v1/exports/datapackage.json").json()
    named = proofs.open_checkpoint(package["vpr:log"]["checkpoint"], _key(instance))
    assert named.size == package["vpr:log"]["tree_size"]
    latest, failures = verifier.verify(
        verifier.Registry(instance.url), _key(instance), named.text, []
    )
    assert failures == []  # the log extends the checkpoint the data was cited with
    assert latest.size == named.size  # nothing public changed since the files were made
    table = httpx2.get(f"{instance.url}/api/v1/exports/companies.csv")
    assert table.headers["x-log-tree-size"] == str(named.size)
