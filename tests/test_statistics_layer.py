"""The dashboard statistics are answered before routing (`app/stats/answers.py`): the same
answer, byte for byte and header for header, as the routes give, for every audience, 200 and
304; parameters the layer does not take go to the route."""

from datetime import date, timedelta
from itertools import product

import pytest

from app.changes import clock
from app.core.types import utcnow
from app.cycles.models import ReportingCycle
from tests import factories
from tests.conftest import auth
from tests.layers import exchange
from tests.test_cycles_and_reviews import _open, _submit_for

STATS = "/api/v1/stats"
TAKEN = [
    "endorsements-over-time",
    "adoption",
    "breakdown",
    "compliance",
    "compliance?limit=1",
    "compliance?limit=1&offset=1",
    "coverage",
    "coverage?limit=3",
    "coverage?limit=3&offset=3",
    "coverage?offset=8",
    "coverage?offset=50",
]
ROUTED = [
    "adoption?version=2020",
    "coverage?version=2020",
    "breakdown?limit=5",
    "coverage?limit=03",
    "coverage?limit=3&limit=4",
    "compliance?offset=-1",
    "coverage?limit=0",
    "unknown",
]


@pytest.fixture
def reported(client, keys, session) -> None:
    """Updates with public and restricted entries (one amended), a withdrawal, a company in
    another country, and three cycles: one due in the past (a late submission, the rest
    overdue), one still open (one on time), one sharing its due date."""
    meta, google, snap = (
        session.exec(factories.select_company(s)).one() for s in ("meta", "google", "snap")
    )
    factories.update(
        session, meta, {"VP-01": ("implemented", "public"), "VP-07": ("planned", "restricted")}
    )
    old = factories.update(session, google, {"VP-01": ("planned", "public")})
    factories.update(session, google, {"VP-01": ("in_progress", "public")}, supersedes=old)
    factories.event(session, snap, "withdrawn", date(2021, 6, 10))
    factories.company(session, "bbc", "BBC", country="GB", sectors=("video_sharing",))
    late = _open(client, keys, title="Due already")
    _submit_for(client, keys, late["id"])
    cycle = session.get(ReportingCycle, late["id"])
    cycle.due_on = utcnow().date() - timedelta(days=1)
    session.add(cycle)
    session.flush()
    clock.advance(session)
    open_cycle = _open(client, keys, title="Still open")
    _submit_for(client, keys, open_cycle["id"])
    _open(client, keys, title="Same due date")


def _audiences(keys: dict[str, str]) -> list[dict[str, str]]:
    return [{}] + [auth(keys[role]) for role in ("government", "admin", "ngo", "company")]


@pytest.mark.usefixtures("reported")
def test_every_statistic_is_the_routes(client, through_the_route, keys, answered):
    for query, headers in product(TAKEN, _audiences(keys)):
        url = f"{STATS}/{query}"
        through_the_route.get("/api/v1/whoami", headers=headers)  # its use recorded: no write
        served = exchange(client, url, headers)
        assert served[0] == 200, (url, served[2])
        assert served == exchange(through_the_route, url, headers), (url, headers)
        again = headers | {"If-None-Match": served[1]["etag"]}
        assert exchange(client, url, again)[:2] == exchange(through_the_route, url, again)[:2]
    assert len(answered) == 2 * len(TAKEN) * len(_audiences(keys))
    assert all(answered)


@pytest.mark.usefixtures("reported")
def test_restricted_statuses_count_only_for_those_who_see_them(client, keys):
    def meta_of(headers: dict[str, str]) -> dict[str, str]:
        body = client.get(f"{STATS}/coverage", headers=headers).json()
        statuses: dict[str, str] = next(r for r in body["items"] if r["company"] == "meta")[
            "statuses"
        ]
        return statuses

    assert meta_of({})["VP-07"] == "not_reported"
    assert meta_of(auth(keys["ngo"]))["VP-07"] == "not_reported"
    assert meta_of(auth(keys["government"]))["VP-07"] == "planned"


@pytest.mark.usefixtures("reported")
def test_compliance_counts_each_cycle_by_its_due_date(client):
    counts = ("title", "asked", "submitted_on_time", "submitted_late", "overdue", "not_yet_due")
    found = [tuple(c[n] for n in counts) for c in client.get(f"{STATS}/compliance").json()["items"]]
    assert found == [
        ("Same due date", 10, 0, 0, 0, 10),  # the same due date: the newer cycle first
        ("Still open", 10, 1, 0, 0, 9),  # Meta, on time
        ("Due already", 10, 0, 1, 9, 0),  # Meta, submitted after the due date (moved back)
    ]


@pytest.mark.usefixtures("reported")
def test_what_the_layer_does_not_take_goes_to_the_route(client, through_the_route, answered):
    for query in ROUTED:
        url = f"{STATS}/{query}"
        assert exchange(client, url, {}) == exchange(through_the_route, url, {}), url
    assert not any(answered)
