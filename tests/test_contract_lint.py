"""The OpenAPI document passes Spectral (spectral:oas and the OWASP API Security ruleset) with 0
errors, its deliberate exceptions in `.spectral.yaml`; and the project's own rules there still
catch what they are for."""

import copy
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from app.main import create_app

ROOT = Path(__file__).resolve().parents[1]
SPECTRAL = ROOT / "node_modules" / ".bin" / "spectral"
# Inside the checkout: the ruleset's overrides name files relative to itself.
LINTED = ROOT / "var" / "contract" / "openapi.json"

pytestmark = pytest.mark.skipif(
    not SPECTRAL.exists() and os.environ.get("CI") != "true",
    reason="Spectral is not installed: `./dev test` installs it with `npm ci`",
)


def _lint(document: dict[str, Any]) -> list[dict[str, Any]]:
    LINTED.parent.mkdir(parents=True, exist_ok=True)
    LINTED.write_text(json.dumps(document, indent=1))
    done = subprocess.run(  # noqa: S603 - our own pinned tool on our own file
        [str(SPECTRAL), "lint", str(LINTED), "--ruleset", str(ROOT / ".spectral.yaml"),
         "--format", "json", "--fail-severity", "error", "--quiet"],
        capture_output=True, text=True, timeout=300, check=False, cwd=ROOT,
    )  # fmt: skip
    assert done.stdout.strip(), done.stderr
    results: list[dict[str, Any]] = json.loads(done.stdout)
    return results


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return create_app().openapi()


def test_the_contract_has_no_spectral_errors(document):
    results = _lint(document)
    errors = [
        f"{r['code']} at {'/'.join(map(str, r['path']))}" for r in results if r["severity"] == 0
    ]
    assert errors == []
    # Warnings are allowed, but none about the contract's own shape.
    codes = {r["code"] for r in results}
    assert not codes & {"operation-description", "operation-tag-defined", "info-contact"}


def test_the_projects_own_rules_still_catch_their_cases(document):
    broken = copy.deepcopy(document)
    company = broken["components"]["schemas"]["CompanyCreate"]["properties"]["slug"]
    company.pop("maxLength", None)
    company.pop("pattern", None)
    revoke = broken["paths"]["/api/v1/keys/{key_id}/revoke"]["post"]
    revoke["parameters"][0]["schema"] = {"type": "integer"}
    codes = {r["code"] for r in _lint(broken) if r["severity"] == 0}
    assert "vpr-input-strings-are-bounded" in codes
    assert "vpr-no-numeric-ids-but-public-records" in codes
