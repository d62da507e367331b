"""Dashboard statistics on a known data set (the seed plus what each test adds)."""

from datetime import date

from tests import factories
from tests.conftest import auth


def test_endorsements_over_time(client, session):
    # Certain and possible counts: tests/test_endorsement_dates_and_rules.py.
    snap = session.exec(factories.select_company("snap")).one()
    factories.event(session, snap, "withdrawn", date(2021, 6, 10))
    months = {
        m["month"]: m for m in client.get("/api/v1/stats/endorsements-over-time").json()["months"]
    }
    assert "2020-01" not in months  # nobody before the principles
    assert months["2020-07"]["possibly_endorsing"] == 11  # Match Group; three ranges
    assert months["2021-05"]["certainly_endorsing"] == 9
    assert months["2021-06"]["certainly_endorsing"] == 8
    assert list(months)[-1] >= "2026-11"


def test_coverage_and_adoption(client, session, keys):
    meta = session.exec(factories.select_company("meta")).one()
    google = session.exec(factories.select_company("google")).one()
    factories.update(
        session,
        meta,
        {"VP-01": ("implemented", "public"), "VP-07": ("planned", "restricted")},
    )
    old = factories.update(session, google, {"VP-01": ("planned", "public")})
    factories.update(session, google, {"VP-01": ("in_progress", "public")}, supersedes=old)

    body = client.get("/api/v1/stats/coverage?limit=200").json()
    assert body["total"] == 11  # the full matrix: every company endorsing now
    assert body["principles"][0] == "VP-01"
    matrix = {r["company"]: r["statuses"] for r in body["items"]}
    assert set(matrix) == {
        "amazon", "google", "match-group", "meta", "microsoft", "roblox", "snap", "tiktok", "x",
        "spark-new-zealand", "one-new-zealand",
    }  # fmt: skip
    assert all(len(statuses) == 11 for statuses in matrix.values())
    reported = {
        slug: {code: s for code, s in statuses.items() if s != "not_reported"}
        for slug, statuses in matrix.items()
    }
    assert reported == {slug: {} for slug in matrix} | {
        "google": {"VP-01": "in_progress"},
        "meta": {"VP-01": "implemented"},  # VP-07 is restricted: not_reported to the public
    }
    governments = client.get(
        "/api/v1/stats/coverage?limit=200", headers=auth(keys["government"])
    ).json()
    meta = next(r for r in governments["items"] if r["company"] == "meta")["statuses"]
    assert (meta["VP-01"], meta["VP-07"]) == ("implemented", "planned")  # restricted seen
    adoption = {a["principle"]: a for a in client.get("/api/v1/stats/adoption").json()}
    assert adoption["VP-01"]["companies_reporting"] == 2
    assert adoption["VP-01"]["by_status"]["implemented"] == 1
    assert adoption["VP-01"]["by_status"]["in_progress"] == 1
    assert adoption["VP-07"]["companies_reporting"] == 0  # restricted entries are not counted


def test_compliance_per_cycle_in_the_cycles_own_words(client, keys, session):
    from tests.test_cycles_and_reviews import _due_date_passes, _open, _submit_for  # noqa: PLC0415

    cycle = _open(client, keys)
    _submit_for(client, keys, cycle["id"])
    (row,) = client.get("/api/v1/stats/compliance").json()["items"]
    counts = ("asked", "submitted_on_time", "submitted_late", "overdue", "not_yet_due")
    assert tuple(row[name] for name in counts) == (11, 1, 0, 0, 10)
    _due_date_passes(session, cycle["id"])
    (row,) = client.get("/api/v1/stats/compliance").json()["items"]
    assert tuple(row[name] for name in counts) == (11, 0, 1, 10, 0)  # submitted today, due before
    detail = client.get(cycle["url"]).json()["counts"]
    assert {name: row[name] for name in counts[1:]} == detail  # the same words, the same counts


def test_breakdown_by_country_and_sector(client, session):
    factories.company(session, "bbc", "BBC", country="GB", sectors=("video_sharing",))
    body = client.get("/api/v1/stats/breakdown").json()
    countries = {c["key"]: (c["companies"], c["endorsing"]) for c in body["by_country"]}
    assert countries == {"US": (8, 8), None: (1, 1), "GB": (1, 0), "NZ": (2, 2)}
    sectors = {s["key"]: (s["companies"], s["endorsing"]) for s in body["by_sector"]}
    assert sectors["dating"] == (1, 1)
    assert sectors["video_sharing"] == (3, 2)
