"""API10:2023 Unsafe Consumption of APIs. The registry calls no third-party API; the data it
takes from outside besides requests is its seed documents and backup files. Both are validated
before use and refused whole when wrong."""

import json

import pytest
from pydantic import ValidationError

from app.backup.service import BackupError, backup, restore
from app.seeding.schema import CompaniesSeed
from tests.databases import engine_for, throwaway_database


@pytest.mark.parametrize(
    "document",
    [
        {"companies": [{"slug": "Not A Slug", "name": "x"}]},
        {"companies": [{"slug": "acme", "name": "Acme", "unexpected": True}]},
        {"companies": "not a list"},
    ],
)
def test_seed_documents_are_validated(document):
    with pytest.raises(ValidationError):
        CompaniesSeed.model_validate(document)


def test_a_tampered_backup_is_refused_whole(live_engine, engine_name, tmp_path):
    path = tmp_path / "registry.jsonl"
    backup(live_engine, path)
    lines = path.read_text(encoding="utf-8").splitlines()
    row = next(i for i, line in enumerate(lines) if json.loads(line).get("t") == "company")
    entry = json.loads(lines[row])
    entry["r"][entry["r"].index("Meta")] = "Tampered"
    lines[row] = json.dumps(entry)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with throwaway_database(engine_name, tmp_path / "target") as url:
        target = engine_for(url)
        try:
            with pytest.raises(BackupError, match="checksum"):
                restore(target, path)
        finally:
            target.dispose()
