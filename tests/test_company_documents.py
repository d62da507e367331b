"""Each company's detail is served from the document its last write stored: the same answer,
byte for byte and header for header, as rendering it from the rows."""

from datetime import date

from sqlalchemy import delete
from sqlmodel import col, select

from app.companies import documents
from app.companies.models import Company, CompanyDocument
from app.companies.queries import company_detail
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
