"""Issue 30: `vpr seed` on a registry seeded before the corrections applies them as new,
audited records, and nothing recorded is rewritten: each endorsement cited to a source that
does not support it is retracted with the seed's reason and recorded again with the right
source; each misdated milestone gets an audited correction. The tamper-evident log verifies
before and after (the new checkpoint extends the old one), and a second run corrects nothing.
On both engines, with the seed files of 24 November 2026 kept as they were."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from app.core import migrations
from app.log import proofs, verifier
from app.seeding import loader
from tests.databases import engine_for, throwaway_database
from tests.servers import Instance

EARLIER_SEED = Path(__file__).parent / "fixtures" / "seed_2026_11_24"
DOJ = (
    "https://www.justice.gov/opa/speech/"
    "attorney-general-william-p-barr-announces-launch-voluntary-principles-counter-online"
)
LAUNCH_SIX = ("meta", "google", "microsoft", "roblox", "snap", "x")
MILESTONES = ("launch-washington-2020", "smaller-companies-guide-2020", "fcm-2024-seek-updates")


@pytest.fixture
def earlier_registry(
    engine_name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Engine, Instance]]:
    """A registry seeded from the earlier seed files, served."""
    with throwaway_database(engine_name, tmp_path) as url:
        engine = engine_for(url)
        try:
            migrations.upgrade(engine)
            with monkeypatch.context() as earlier:
                earlier.setattr(loader, "DATA_DIR", EARLIER_SEED)
                with Session(engine) as session:
                    loader.load_seed(session)
            instance = Instance("seeded", url, tmp_path, {"VPR_RATE_LIMIT": "false"})
            instance.start()
            try:
                yield engine, instance
            finally:
                instance.stop()
        finally:
            engine.dispose()


def _verify(instance: Instance, saved: str | None, records: list[str]) -> tuple[str, list[str]]:
    key = httpx2.get(f"{instance.url}/api/v1/log/key").json()["verifier_key"]
    checkpoint, failures = verifier.verify(
        verifier.Registry(instance.url), proofs.VerifierKey.parse(key), saved, records
    )
    return checkpoint.text, failures


def _get(instance: Instance, path: str) -> Any:
    answer = httpx2.get(f"{instance.url}{path}")
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_the_seed_applies_its_corrections_as_new_audited_records(earlier_registry):
    engine, instance = earlier_registry
    records = [f"/api/v1/companies/{slug}" for slug in (*LAUNCH_SIX, "tiktok", "amazon")]
    records += [f"/api/v1/milestones/{slug}" for slug in MILESTONES]
    before, failures = _verify(instance, None, records)
    assert failures == []
    assert _get(instance, "/api/v1/companies/meta")["endorsement"]["source_url"] != DOJ

    with Session(engine) as session:
        applied = loader.load_seed(session)
    assert applied["endorsement_corrections"] == len(LAUNCH_SIX) + 3  # and three notes
    assert applied["milestone_corrections"] == 4
    assert applied["framework_corrections"] == 11 + 1  # every summary, and theme T3
    seven = _get(instance, "/api/v1/principles/VP-07")
    assert seven["official_text"].endswith("may include considering whether users are children.")
    assert "knowing which users" not in seven["summary"]
    assert _get(instance, "/api/v1/themes")[2]["title"] == "Target livestreaming"

    for slug in LAUNCH_SIX:
        company = _get(instance, f"/api/v1/companies/{slug}")
        history = company["endorsement_history"]
        assert [event["retracted"] is not None for event in history] == [True, False]
        assert "names no company" in history[0]["retracted"]["reason"]
        assert history[0]["source_url"].startswith("https://au.usembassy.gov/")  # kept
        assert history[1]["source_url"] == DOJ
        assert company["endorsement"]["status"] == "endorsed"
        assert company["endorsement"]["endorsed_on"]["value"] == "2020-03-05"
        assert company["endorsement"]["source_url"] == DOJ
    tiktok = _get(instance, "/api/v1/companies/tiktok")["endorsement_history"]
    assert "August 2021" in tiktok[0]["note"]
    assert "around March 2021" in tiktok[1]["note"]
    meta = _get(instance, "/api/v1/companies/meta")  # a former name's source, filled (audited)
    assert meta["former_names"][0]["source_url"].startswith("https://www.wilx.com/")
    guide = _get(instance, "/api/v1/milestones/smaller-companies-guide-2020")
    assert guide["occurred_on"]["value"] == "2020-12"
    launch = _get(instance, "/api/v1/milestones/launch-washington-2020")
    assert launch["source_url"] == DOJ

    audit = httpx2.get(f"{instance.url}/api/v1/changes", params={"limit": 1000}).json()["items"]
    corrected = [c for c in audit if c["action"] == "milestone.corrected"]
    assert {c["url"] for c in corrected} >= {f"/api/v1/milestones/{s}" for s in MILESTONES}
    after, failures = _verify(instance, before, records)
    assert failures == []  # the log extends the earlier checkpoint, and every record holds
    assert after != before

    with Session(engine) as session:
        again = loader.load_seed(session)
    assert again == {}  # nothing left to correct, or to add
