"""Full-text search: company names (current and former) and update narratives, ranked, with
the same visibility rules as everywhere."""

import pytest

from app.search import queries
from tests import factories
from tests.conftest import auth

NARRATIVES = {
    "VP-01": ("Hash matching blocks known abuse material on upload.", "public"),
    "VP-03": ("Grooming classifiers and grooming signals review.", "public"),
    "VP-07": ("Age assurance pilot for teen grooming protections.", "restricted"),
}


@pytest.fixture
def reported(session):
    meta = session.exec(factories.select_company("meta")).one()
    update = factories.update(
        session, meta, {code: ("implemented", vis) for code, (_, vis) in NARRATIVES.items()}
    )
    for entry in session.exec(factories.entries_of(update)).all():
        code = factories.principle_code(session, entry.principle_id)
        entry.narrative = NARRATIVES[code][0]
        session.add(entry)
    session.flush()
    return update


def _search(client, q, headers=None):
    response = client.get("/api/v1/search", params={"q": q}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_companies_by_current_and_former_name(client):
    assert [c["slug"] for c in _search(client, "facebook")["companies"]] == ["meta"]
    assert [c["slug"] for c in _search(client, "Match Group")["companies"]] == ["match-group"]


@pytest.mark.usefixtures("reported")
def test_narratives_ranked_and_public_only_for_the_public(client, keys):
    public = [e["principle"] for e in _search(client, "grooming")["entries"]]
    assert public == ["VP-03"]  # VP-07 is restricted
    as_government = _search(client, "grooming", auth(keys["government"]))
    government = [e["principle"] for e in as_government["entries"]]
    assert government[0] == "VP-03"  # "grooming" twice ranks first
    assert set(government) == {"VP-03", "VP-07"}


def test_drafts_are_found_by_their_company_only(client, session, keys):
    meta = session.exec(factories.select_company("meta")).one()
    draft = factories.update(session, meta, {"VP-05": ("planned", "public")}, submitted=False)
    for entry in session.exec(factories.entries_of(draft)).all():
        entry.narrative = "Livestream interdiction prototype"
        session.add(entry)
    session.flush()
    assert _search(client, "livestream interdiction")["entries"] == []
    mine = _search(client, "livestream interdiction", auth(keys["company"]))["entries"]
    assert [e["principle"] for e in mine] == ["VP-05"]


@pytest.mark.parametrize("q", ['"unbalanced', "NEAR(a b)", "*", "a OR b AND", "-x"])
def test_query_syntax_cannot_break_search(client, q):
    response = client.get("/api/v1/search", params={"q": q})
    assert response.status_code == 200


@pytest.mark.parametrize("query", ["q=", "q=" + "x" * 201, "q=a&limit=0", "q=a&limit=101", ""])
def test_bad_search_requests_are_422(client, query):
    assert client.get(f"/api/v1/search?{query}").status_code == 422


@pytest.mark.usefixtures("reported")
def test_ranking_is_bounded_and_says_so(client, keys, monkeypatch):
    """Entries are ranked among the newest matches only, and the answer says when older ones
    were left out, rather than pretending the list is complete."""
    as_government = auth(keys["government"])
    everything = _search(client, "grooming", as_government)
    assert everything["entries_complete"] is True
    assert everything["ranked_among"] == queries.RANKED_AMONG
    monkeypatch.setattr(queries, "RANKED_AMONG", 1)
    bounded = _search(client, "grooming", as_government)
    assert bounded["entries_complete"] is False
    assert [e["principle"] for e in bounded["entries"]] == ["VP-07"]  # the newest match only
