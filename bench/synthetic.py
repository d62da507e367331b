"""The synthetic registry bench.generate loads: companies, sectors, former names, endorsement
events, one update per company and its entries, as rows of dicts in id order. Deterministic for
a seed; names, countries and narrative terms drawn from small vocabularies (bench/cold.lua
searches the same terms, common to rare)."""

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from app.companies.models import Sector
from app.updates.models import ImplementationStatus

COUNTRIES = ["US", "GB", "CA", "AU", "NZ", "DE", "FR", "JP", "KR", "SG", "IN", "BR", "IE", "NL"]
SOURCE = "https://example.org/bench-source"
KINDS = ["Labs", "Media", "Games", "Cloud"]
# Narratives draw three measures from a vocabulary with Zipf weights (the k-th is 1/k as likely),
# so a search term matches a realistic share of entries: "hash" about one in five, "grooming"
# about one in thirty, "watermarking" about one in a hundred and fifty.
MEASURES = [
    "hash matching",
    "user reporting",
    "trust and safety staffing",
    "age assurance",
    "law enforcement referrals",
    "content moderation",
    "transparency reporting",
    "classifiers",
    "grooming detection",
    "livestream monitoring",
    "survivor support",
    "default privacy settings",
    "parental controls",
    "keyword blocking",
    "NCMEC reporting",
    "industry hash sharing",
    "safety by design reviews",
    "deterrence messaging",
    "account suspension",
    "appeals process",
    "researcher access",
    "risk assessment",
    "staff wellbeing",
    "sextortion interventions",
    "search deterrence",
    "offender diversion",
    "red teaming",
    "payment signals",
    "app store review",
    "watermarking",
]
MEASURE_WEIGHTS = [1 / rank for rank in range(1, len(MEASURES) + 1)]
NOW = datetime(2026, 11, 1, tzinfo=UTC)


def companies(rng: random.Random, ids: range) -> Iterator[dict[str, Any]]:
    for company_id in ids:
        yield {
            "id": company_id,
            "version": 1,
            "slug": f"bench-{company_id:07d}",
            "name": f"Bench Company {company_id:07d} {rng.choice(KINDS)}",
            "country": rng.choice(COUNTRIES),
            "website": f"https://bench-{company_id}.example.org",
            "created_at": NOW,
            "updated_at": NOW,
        }


def sectors(rng: random.Random, ids: range) -> Iterator[dict[str, Any]]:
    every = list(Sector)
    for company_id in ids:
        for sector in rng.sample(every, 2):
            yield {"company_id": company_id, "sector": sector.value}


def former_names(rng: random.Random, ids: range, first: dict[str, int]) -> Iterator[dict[str, Any]]:
    next_id = first["company_former_name"]
    for company_id in ids:
        if company_id % 10 == 0:
            yield {
                "id": next_id,
                "company_id": company_id,
                "name": f"Old Name {company_id}",
                "used_until": None,
            }
            next_id += 1


def events(
    rng: random.Random, ids: range, version_id: int, first: dict[str, int]
) -> Iterator[dict[str, Any]]:
    next_id = first["endorsement_event"]
    for company_id in ids:
        # From the publication of the principles (2020-03-05) to before NOW, later events included.
        history = [("endorsed", date(2020, 3, 5) + timedelta(days=rng.randrange(1800)))]
        roll = rng.random()
        if roll < 0.1:
            history.append(("withdrawn", history[0][1] + timedelta(days=rng.randrange(1, 600))))
        elif roll < 0.3:
            history.append(("reaffirmed", history[0][1] + timedelta(days=rng.randrange(1, 600))))
        elif roll > 0.9:
            history = []  # not endorsed
        for kind, day in history:
            yield {
                "id": next_id, "company_id": company_id, "framework_version_id": version_id,
                "kind": kind, "occurred_on": day, "date_precision": "day", "source_url": SOURCE,
                "earliest_on": day, "latest_on": day,
                "consulted_in_drafting": False, "note": None, "milestone_id": None,
                "recorded_at": NOW, "recorded_by": "bench",
            }  # fmt: skip
            next_id += 1


def updates(company_ids: range, update_ids: range, version_id: int) -> Iterator[dict[str, Any]]:
    for company_id, update_id in zip(company_ids, update_ids, strict=True):
        yield {
            "id": update_id, "version": 1, "company_id": company_id,
            "framework_version_id": version_id, "reporting_cycle_id": None,
            "period_start": date(2025, 1, 1), "period_end": date(2025, 12, 31),
            "summary": "Synthetic annual update", "state": "submitted", "revision": 1,
            "supersedes_id": None, "created_at": NOW, "updated_at": NOW, "submitted_at": NOW,
        }  # fmt: skip


def entries(
    rng: random.Random,
    update_ids: range,
    version_id: int,
    principles: list[int],
    per_update: int,
    first: dict[str, int],
) -> Iterator[dict[str, Any]]:
    statuses = [s.value for s in ImplementationStatus]
    next_id = first["update_entry"]
    for update_id in update_ids:
        for index in range(per_update):
            yield {
                "id": next_id, "update_id": update_id, "framework_version_id": version_id,
                "principle_id": principles[index % len(principles)],
                "status": rng.choice(statuses),
                "narrative": _narrative(rng, next_id),
                "visibility": "public" if rng.random() < 0.9 else "restricted",
            }  # fmt: skip
            next_id += 1


def _narrative(rng: random.Random, entry_id: int) -> str:
    chosen = dict.fromkeys(rng.choices(MEASURES, MEASURE_WEIGHTS, k=3))
    return f"Synthetic narrative {entry_id}: {', '.join(chosen)}."
