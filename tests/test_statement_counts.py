"""No N+1: list and detail run a fixed number of statements whatever the page size."""

from datetime import date

from app.companies import documents
from tests import factories


def _add_companies(session, count: int) -> None:
    for n in range(count):
        row = factories.company(
            session, f"bulk-{n:03d}", former=(f"Old {n}",), sectors=("gaming", "messaging")
        )
        factories.event(session, row, "endorsed", date(2021, 1, 1 + n % 28))
        factories.event(session, row, "reaffirmed", date(2022, 1, 1))


def test_company_list_runs_a_fixed_number_of_statements(client, session, count_statements):
    _add_companies(session, 60)
    counts = {}
    for query in ("", "&country=GB"):  # before routing; a filter only the route takes
        for limit in (1, 10, 200):
            with count_statements() as log:
                body = client.get(f"/api/v1/companies?limit={limit}{query}").json()
            assert len(body["items"]) == min(limit, body["total"])
            counts[query, limit] = len(log)
    # Before routing: the data version with the total and how many endorse now (the status
    # counters, one statement), the page's ids, their stored items.
    assert [counts["", limit] for limit in (1, 10, 200)] == [3, 3, 3]
    # In the route: the data version, the total (counted), the ids, the items, the endorsing.
    assert [counts["&country=GB", limit] for limit in (1, 10, 200)] == [5, 5, 5]


def test_company_detail_runs_a_fixed_number_of_statements(client, session, count_statements):
    """Served: the data version and the stored document, in one statement. Rendered (in the
    write that changed the company): the same statements however long its history."""
    meta = session.exec(factories.select_company("meta")).one()
    with count_statements() as few:
        client.get("/api/v1/companies/meta")
    with count_statements() as rendered_few:
        documents.store(session, [meta.id])
    for year in range(2010, 2020):
        factories.event(session, meta, "reaffirmed", date(year, 1, 1))
        factories.update(
            session,
            meta,
            {"VP-01": ("implemented", "public"), "VP-02": ("planned", "public")},
            period=(date(year, 1, 1), date(year, 12, 31)),
        )
    with count_statements() as many:
        body = client.get("/api/v1/companies/meta").json()
    with count_statements() as rendered_many:
        documents.store(session, [meta.id])
    assert len(body["endorsement_history"]) == 11
    assert len(few) == len(many) == 1  # data version and stored document
    # delete (the document, the item, the page part, the table row), company with status,
    # former names, sectors, history, its linked reports, principles, latest statuses, the
    # updates its page lists, insert (the same four)
    assert len(rendered_few) == len(rendered_many) == 16


def test_endorsement_list_runs_three_statements(client, session, count_statements):
    _add_companies(session, 30)
    for limit in (1, 100):
        with count_statements() as log:
            client.get(f"/api/v1/endorsements?limit={limit}")
        assert len(log) == 3  # data version, count, page
