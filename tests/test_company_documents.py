"""Each company's detail is served from the document its last write stored: the same answer,
byte for byte and header for header, as rendering it from the rows."""

from datetime import date
from typing import Any

import pytest
from sqlalchemy import delete, func
from sqlmodel import col, select

from app.companies import documents
from app.companies.models import Company, CompanyDocument
from app.companies.queries import company_detail
from app.companies.schemas import CompanyPage
from app.endorsements.models import CompanyStatus, EndorsementStatus
from app.http.stored_documents import StoredDocuments
from tests import factories
from tests.conftest import auth

COMPARED_HEADERS = ("etag", "cache-control", "vary", "link", "content-type")


def _answer(client, slug, headers=None):
    response = client.get(f"/api/v1/companies/{slug}", headers=headers or {})
    assert response.status_code == 200
    return response.content, {name: response.headers.get(name) for name in COMPARED_HEADERS}


def _without_document(session, slug):
    company_id = session.exec(select(Company.id).where(Company.slug == slug)).one()
    session.execute(delete(CompanyDocument).where(col(CompanyDocument.company_id) == company_id))


def test_the_stored_document_is_what_rendering_gives(client, session, keys):
    meta = session.exec(factories.select_company("meta")).one()
    factories.event(session, meta, "reaffirmed", date(2024, 5, 1))
    factories.update(session, meta, {"VP-01": ("implemented", "public")})
    for headers in ({}, auth(keys["government"])):
        stored = _answer(client, "meta", headers)
        _without_document(session, "meta")
        rendered = _answer(client, "meta", headers)
        documents.store(session, [meta.id])
        assert stored == rendered
    assert stored[1]["etag"].startswith(f'"company-{meta.id}-v')
    assert stored[1]["cache-control"] == "private, no-cache"  # the government's, last


def test_every_company_has_its_current_document(session):
    for slug in session.exec(select(Company.slug)).all():
        document = session.exec(select(CompanyDocument).where(CompanyDocument.slug == slug)).one()
        assert document.body == company_detail(session, slug).body.model_dump_json().encode()


def test_a_write_through_the_api_renders_the_document_it_changes(client, session, keys):
    company = client.get("/api/v1/companies/snap")
    change = client.patch(
        "/api/v1/companies/snap",
        json={"name": "Snap Inc. (renamed)"},
        headers=auth(keys["admin"]) | {"If-Match": company.headers["etag"]},
    )
    assert change.status_code == 200
    stored = session.exec(select(CompanyDocument).where(CompanyDocument.slug == "snap")).one()
    assert b"Snap Inc. (renamed)" in stored.body
    assert client.get("/api/v1/companies/snap").json()["name"] == "Snap Inc. (renamed)"


def test_other_cases_and_former_names_still_lead_to_the_company(client):
    assert client.get("/api/v1/companies/META", follow_redirects=False).status_code == 308
    assert client.get("/api/v1/companies/facebook", follow_redirects=False).status_code == 308
    assert client.get("/api/v1/companies/no-such-co").status_code == 404


def test_a_new_framework_version_renders_every_document_again(session):
    framework, theme = factories.later_version(session)
    factories.principle(session, framework, theme.id or 0, code="VP-01")
    meta = session.exec(select(CompanyDocument).where(CompanyDocument.slug == "meta")).one()
    assert b'"framework_version":"2030"' in meta.body


def _exchange(client, headers):
    response = client.get("/api/v1/companies/meta", headers=headers)
    shown = {name: response.headers.get(name) for name in (*COMPARED_HEADERS, "content-length")}
    return response.status_code, shown, response.content


def test_the_layer_answers_as_the_route_does(client, through_the_route, session, keys, monkeypatch):
    """Anonymous, government and company keys; 200 and then 304 with the tag just given; and
    each answer named by the route's template in the metrics."""
    answered: list[bool] = []
    answer = StoredDocuments._answer

    async def spied(self: StoredDocuments, *args: Any) -> Any:
        made = await answer(self, *args)
        answered.append(made is not None)
        return made

    monkeypatch.setattr(StoredDocuments, "_answer", spied)
    meta = session.exec(factories.select_company("meta")).one()
    for key in (None, keys["government"], keys["company"]):
        headers = {} if key is None else auth(key)
        through_the_route.get("/api/v1/whoami", headers=headers)  # its use recorded: no write
        served = _exchange(client, headers)
        routed = _exchange(through_the_route, headers)
        assert served == routed
        assert served[0] == 200
        again = headers | {"If-None-Match": served[1]["etag"]}
        assert _exchange(client, again)[:2] == _exchange(through_the_route, again)[:2]
        assert _exchange(client, again)[0] == 304
    assert answered == [True] * 9  # the layer answered every one (the route app has none)
    assert served[1]["etag"].startswith(f'"company-{meta.id}-v')
    assert served[1]["link"] is None  # a company key's own view links no public page
    metrics = client.get("/metrics", headers=auth(keys["admin"])).text
    assert 'route="/api/v1/companies/{slug}",status="304"' in metrics


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/v1/companies/meta?fields=name", 422),  # a parameter the route does not take
        ("/api/v1/companies/Meta", 308),
        ("/api/v1/companies/facebook", 308),
        ("/api/v1/companies/nobody", 404),
    ],
)
def test_what_the_layer_is_not_sure_of_goes_to_the_app(client, path, status):
    assert client.get(path, follow_redirects=False).status_code == status


def test_a_refused_key_is_the_apps_401(client):
    response = client.get("/api/v1/companies/meta", headers=auth("vpr_abcdefgh_guess_00000000"))
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"


def test_list_totals_from_the_status_counters_are_the_counts(client, session):
    """A status alone (or no filter) is counted by the statistics' status counters: the same
    number as counting the status rows, and the pages hold exactly that many companies."""
    factories.event(session, session.exec(factories.select_company("snap")).one(), "withdrawn",
                    date(2025, 6, 1))  # fmt: skip
    for status in [None, *EndorsementStatus]:
        query = "" if status is None else f"&status={status.value}"
        counted = select(func.count()).select_from(CompanyStatus)
        if status is not None:
            counted = counted.where(col(CompanyStatus.status) == status.value)
        expected = session.exec(counted).one()
        body = client.get(f"/api/v1/companies?limit=200{query}").json()
        assert body["total"] == len(body["items"]) == expected


def test_a_list_page_is_the_stored_items_in_order(client, session):
    """Spliced, not parsed: still exactly the JSON of the page's model."""
    body = client.get("/api/v1/companies?limit=5&sort=-name").content
    page = CompanyPage.model_validate_json(body)
    assert page.model_dump_json().encode() == body
    assert [item.slug for item in page.items] == sorted(
        session.exec(select(Company.slug)).all(),
        key=lambda slug: client.get(f"/api/v1/companies/{slug}").json()["name"].casefold(),
        reverse=True,
    )[:5]
