"""Issue 29: dates are ASCII (full-width digits were parsed), and the days a reporting period,
a metric's period or a cycle may fall on are bounded (a cycle asking about 0001-01-01 to
9999-12-31 was opened, and could never be answered)."""

import copy
from typing import Any

import pytest

from app.core.schemas import REPORTING_EARLIEST, REPORTING_YEARS_AHEAD
from app.core.types import utcnow
from tests.conftest import auth
from tests.test_updates_workflow import DRAFT

PROBLEM = "application/problem+json"
FULL_WIDTH_2025 = "\uff12\uff10\uff12\uff15-01-01"  # 2025 in full-width digits
CYCLE = {
    "title": "Calendar 2025", "opens_on": "2026-01-05", "due_on": f"{utcnow().year + 1}-03-31",
    "period_start": "2025-01-01", "period_end": "2025-12-31",
}  # fmt: skip


def _metric_period(day: str) -> dict[str, Any]:
    body = copy.deepcopy(DRAFT)
    body["entries"][0]["metrics"][0]["period_start"] = day
    return body


def _too_late() -> str:
    return f"{utcnow().year + REPORTING_YEARS_AHEAD + 1}-01-01"


@pytest.mark.parametrize("day", [FULL_WIDTH_2025, "0001-01-01", "2014-12-31", "too late"])
@pytest.mark.parametrize("where", ["update", "metric", "draft edit"])
def test_an_update_s_dates_are_ascii_and_in_bounds(client, keys, day, where):
    day = _too_late() if day == "too late" else day
    headers = auth(keys["company"])
    if where == "draft edit":
        draft = client.post("/api/v1/updates", json=DRAFT, headers=headers)
        headers |= {"If-Match": draft.headers["etag"]}
        answer = client.patch(draft.json()["url"], json={"period_start": day}, headers=headers)
    else:
        body = DRAFT | {"period_start": day} if where == "update" else _metric_period(day)
        answer = client.post("/api/v1/updates", json=body, headers=headers)
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == PROBLEM


@pytest.mark.parametrize(
    "change",
    [
        {"period_start": FULL_WIDTH_2025},
        {"period_start": "0001-01-01"},
        {"period_end": "9999-12-31"},
        {"due_on": "9999-12-31"},
        {"opens_on": "2026-\uff10\uff11-05"},
    ],
)
def test_a_cycle_s_dates_are_ascii_and_in_bounds(client, keys, change):
    taken = client.post("/api/v1/reporting-cycles", json=CYCLE, headers=auth(keys["government"]))
    assert taken.status_code == 201, taken.text  # the same cycle, with its dates as written
    answer = client.post(
        "/api/v1/reporting-cycles", json=CYCLE | change, headers=auth(keys["government"])
    )
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == PROBLEM
    assert len(client.get("/api/v1/reporting-cycles").json()["items"]) == 1


def test_dates_at_the_bounds_are_taken(client, keys):
    body = DRAFT | {"period_start": REPORTING_EARLIEST.isoformat()}
    created = client.post("/api/v1/updates", json=body, headers=auth(keys["company"]))
    assert created.status_code == 201, created.text
    latest = f"{utcnow().year + REPORTING_YEARS_AHEAD}-12-31"
    cycle = client.post(
        "/api/v1/reporting-cycles",
        json=CYCLE | {"due_on": latest},
        headers=auth(keys["government"]),
    )
    assert cycle.status_code == 201, cycle.text


@pytest.mark.parametrize("stated", ["\uff12\uff10\uff12\uff15", "2025-\uff10\uff15"])
def test_an_endorsement_date_is_ascii(client, keys, stated):
    event = {"kind": "withdrawn", "occurred_on": stated, "source_url": "https://example.org/w"}
    answer = client.post(
        "/api/v1/companies/google/endorsement-events", json=event, headers=auth(keys["admin"])
    )
    assert answer.status_code == 422, answer.text
