"""The company page shows, per principle, the latest published status: public, current only."""

from datetime import date

from tests import factories


def _statuses(client, slug: str) -> dict[str, str]:
    body = client.get(f"/api/v1/companies/{slug}").json()
    return {row["principle"]: row["status"] for row in body["implementation"]}


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
    (row,) = body["implementation"]
    assert (row["status"], row["period_end"]) == ("implemented", "2025-12-31")
    assert row["update_url"].startswith("/api/v1/updates/")
    assert row["submitted_at"].endswith("Z")
