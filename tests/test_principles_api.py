"""GET /themes, /principles, /principles/{code}, /framework-versions."""

from sqlmodel import select

from app.principles.models import Principle
from tests import factories

PROBLEM = "application/problem+json"


def test_seven_themes_in_order_with_their_principles(client):
    themes = client.get("/api/v1/themes").json()
    assert [t["code"] for t in themes] == [f"T{n}" for n in range(1, 8)]
    assert themes[0]["principles"] == ["VP-01", "VP-02"]
    assert themes[6]["principles"] == ["VP-09", "VP-10", "VP-11"]
    assert {t["framework_version"] for t in themes} == {"2020"}


def test_eleven_principles_with_summary_and_official_source(client):
    principles = client.get("/api/v1/principles").json()
    assert [p["code"] for p in principles] == [f"VP-{n:02d}" for n in range(1, 12)]
    assert all(p["source_url"].startswith("https://www.gov.uk/") for p in principles)
    assert principles[10]["theme"] == {
        "code": "T7",
        "title": "Collaborate and respond to the evolving threat",
    }


def test_principles_filtered_by_theme(client):
    codes = [p["code"] for p in client.get("/api/v1/principles?theme=T2").json()]
    assert codes == ["VP-03", "VP-04"]


def test_one_principle(client):
    response = client.get("/api/v1/principles/VP-11")
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "VP-11"
    assert body["framework_version"] == "2020"
    assert body["url"] == "/api/v1/principles/VP-11?version=2020"
    assert "transparency" in body["summary"]


def test_unknown_principle_is_a_problem_404(client):
    response = client.get("/api/v1/principles/VP-99")
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["type"] == "urn:vpr:problem:not-found"
    assert "VP-99" in response.json()["detail"]


def test_malformed_principle_code_is_a_problem_422(client):
    response = client.get("/api/v1/principles/" + "V" * 11)
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["errors"][0]["location"] == ["path", "code"]


def test_unknown_version_is_a_problem_404(client):
    response = client.get("/api/v1/principles?version=1999")
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM


def test_a_new_version_becomes_current_and_the_old_stays_readable(client, session):
    old_vp01 = session.exec(select(Principle).where(Principle.code == "VP-01")).one()
    framework, theme = factories.later_version(session)
    factories.principle(session, framework, theme.id or 0, revises=old_vp01)

    versions = client.get("/api/v1/framework-versions").json()
    assert [(v["code"], v["current"]) for v in versions] == [("2030", True), ("2020", False)]
    assert [p["code"] for p in client.get("/api/v1/principles").json()] == ["VP-01"]
    current = client.get("/api/v1/principles/VP-01").json()
    assert current["summary"] == "A revised summary."
    assert current["revises"] == "VP-01"
    old = client.get("/api/v1/principles/VP-01?version=2020").json()
    assert old["framework_version"] == "2020"
    assert len(client.get("/api/v1/principles?version=2020").json()) == 11


def test_principles_carry_their_official_wording_and_a_labelled_summary(client):
    """Issue 30: summaries changed the meaning (VP-07 "knowing which users are children";
    VP-10 dropped "and feasible"; VP-04 "or organising to do so"), every principle is a
    best-efforts "Companies seek to ..." commitment, and T3 is "Target livestreaming"."""
    principles = {p["code"]: p for p in client.get("/api/v1/principles").json()}
    seven = principles["VP-07"]
    assert seven["official_text"].startswith("Companies seek to adopt enhanced safety measures")
    assert seven["official_text"].endswith("may include considering whether users are children.")
    assert "knowing which users" not in seven["summary"]
    assert "or organising to do so" in principles["VP-04"]["summary"]
    assert "appropriate and feasible" in principles["VP-10"]["summary"]
    assert all(p["summary"].startswith("Seek to") for p in principles.values())
    recorded = [code for code, p in principles.items() if p["official_text"]]
    assert recorded == [f"VP-0{n}" for n in range(1, 8)]  # those checked against gov.uk
    assert all(principles[c]["official_text"].startswith("Companies seek to") for c in recorded)
    themes = {t["code"]: t["title"] for t in client.get("/api/v1/themes").json()}
    assert themes["T3"] == "Target livestreaming"
    page = client.get("/principles").text
    assert "Summary, in the registry's words:" in page
    assert "Official wording" in page
