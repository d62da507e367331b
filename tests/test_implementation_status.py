"""The company page shows, per principle, the latest published status: public, current only."""

from datetime import date

from tests import factories


def _statuses(client, slug: str) -> dict[str, str]:
    """The principles the company reported on (the rest say `not_reported`)."""
    body = client.get(f"/api/v1/companies/{slug}").json()
    rows = body["implementation"]
    return {row["principle"]: row["status"] for row in rows if row["status"] != "not_reported"}


def test_every_principle_is_listed_and_the_unreported_say_so(client, session):
    meta = session.exec(factories.select_company("meta")).one()
    factories.update(session, meta, {"VP-03": ("planned", "public")})
    rows = client.get("/api/v1/companies/meta").json()["implementation"]
    assert [row["principle"] for row in rows] == [f"VP-{n:02d}" for n in range(1, 12)]
    reported = {row["principle"]: row["status"] for row in rows}
    assert reported.pop("VP-03") == "planned"
    assert set(reported.values()) == {"not_reported"}
    assert all(row["update_url"] is None for row in rows if row["status"] == "not_reported")


def test_only_submitted_public_current_entries_count(client, session):
    meta = session.exec(factories.select_company("meta")).one()
    first = factories.update(
        session,
        meta,
        {
            "VP-01": ("in_progress", "public"),
            "VP-02": ("planned", "public"),
            "VP-03": ("implemented", "restricted"),
        },
    )
    assert _statuses(client, "meta") == {"VP-01": "in_progress", "VP-02": "planned"}

    # A submitted amendment supersedes the first revision entirely.
    factories.update(session, meta, {"VP-01": ("implemented", "public")}, supersedes=first)
    assert _statuses(client, "meta") == {"VP-01": "implemented"}

    # A draft is nobody's published status.
    factories.update(
        session,
        meta,
        {"VP-05": ("implemented", "public")},
        period=(date(2025, 1, 1), date(2025, 12, 31)),
        submitted=False,
    )
    assert "VP-05" not in _statuses(client, "meta")


def test_a_later_period_wins(client, session):
    google = session.exec(factories.select_company("google")).one()
    factories.update(
        session,
        google,
        {"VP-06": ("implemented", "public")},
        period=(date(2025, 1, 1), date(2025, 12, 31)),
    )
    factories.update(
        session,
        google,
        {"VP-06": ("in_progress", "public")},
        period=(date(2023, 1, 1), date(2023, 12, 31)),
    )
    body = client.get("/api/v1/companies/google").json()
    (row,) = [r for r in body["implementation"] if r["status"] != "not_reported"]
    assert (row["status"], row["period_end"]) == ("implemented", "2025-12-31")
    assert row["update_url"].startswith("/api/v1/updates/")
    assert row["submitted_at"].endswith("Z")
