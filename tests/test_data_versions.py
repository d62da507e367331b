"""Public answers are versioned by public changes only: a company's draft, or anything else only
some callers may see, leaves every public ETag and cached public answer alone."""

from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlmodel import Session

from app.changes.clock import clock_for
from app.keys.models import Role
from app.keys.service import KeySpec, issue_key
from app.main import create_app
from tests.conftest import auth, serve_from
from tests.test_updates_workflow import DRAFT


def test_a_draft_moves_no_public_etag_and_a_submission_does(client, keys):
    public = client.get("/api/v1/companies")
    restricted = client.get("/api/v1/companies", headers=auth(keys["government"]))
    draft = client.post("/api/v1/updates", json=DRAFT, headers=auth(keys["company"]))
    assert draft.status_code == 201

    still = client.get("/api/v1/companies", headers={"If-None-Match": public.headers["etag"]})
    assert still.status_code == 304
    keyed = client.get(
        "/api/v1/companies",
        headers=auth(keys["government"]) | {"If-None-Match": restricted.headers["etag"]},
    )
    assert keyed.status_code == 200  # keyed answers follow every change, to be safe

    submitted = client.post(
        f"{draft.json()['url']}/submit",
        headers=auth(keys["company"]) | {"If-Match": draft.headers["etag"]},
    )
    assert submitted.status_code == 200
    moved = client.get("/api/v1/companies", headers={"If-None-Match": public.headers["etag"]})
    assert moved.status_code == 200
    assert moved.headers["etag"] != public.headers["etag"]


def test_the_response_cache_keeps_serving_public_answers_while_drafts_are_written(live_engine):
    url = live_engine.url.render_as_string(hide_password=False)
    with Session(live_engine, expire_on_commit=False) as session:
        company = issue_key(session, KeySpec(Role.COMPANY, "meta", "meta"), "test").plaintext
    cached = serve_from(create_app(clock=clock_for(url)), live_engine)
    with TestClient(cached) as reader, TestClient(serve_from(create_app(), live_engine)) as writer:
        first = reader.get("/api/v1/companies?status=endorsed")
        assert writer.post("/api/v1/updates", json=DRAFT, headers=auth(company)).status_code == 201
        statements: list[str] = []

        def record(*args: object) -> None:
            statements.append(str(args[2]))

        event.listen(live_engine, "before_cursor_execute", record)
        try:
            again = reader.get("/api/v1/companies?status=endorsed")
        finally:
            event.remove(live_engine, "before_cursor_execute", record)
        assert statements == []  # answered from memory: the draft changed nothing public
        assert again.content == first.content
        assert again.headers["etag"] == first.headers["etag"]
