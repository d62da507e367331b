"""Issue 29: which government reads which reviews is a documented setting. By default the
governments share every review of an update (they coordinate, and a company answers once for
all); with VPR_REVIEWS_SHARED_BETWEEN_GOVERNMENTS=false a government key reads only its own
government's reviews and their answers, while the company and administrators read the whole
thread."""

import pytest
from sqlmodel import Session

from app.core.config import get_settings
from app.keys.models import Role
from app.keys.service import KeySpec, issue_key
from tests.conftest import auth
from tests.test_updates_workflow import DRAFT


@pytest.fixture
def thread(client, keys, session: Session) -> tuple[str, dict[str, str]]:
    """An update with a follow-up from the UK (answered) and an acknowledgement from Canada."""
    canada = issue_key(
        session, KeySpec(Role.GOVERNMENT, "ca", government="Public Safety Canada"), "t"
    ).plaintext
    company = auth(keys["company"])
    draft = client.post("/api/v1/updates", json=DRAFT, headers=company)
    url = draft.json()["url"]
    done = client.post(f"{url}/submit", headers=company | {"If-Match": draft.headers["etag"]})
    assert done.status_code == 200, done.text
    asked = client.post(
        f"{url}/reviews",
        json={"kind": "follow_up", "question": "How many reports?"},
        headers=auth(keys["government"]),
    ).json()
    answered = client.post(
        f"{url}/reviews/{asked['id']}/answers", json={"answer": "1,200."}, headers=company
    )
    assert answered.status_code == 201, answered.text
    acknowledged = client.post(
        f"{url}/reviews", json={"kind": "acknowledged"}, headers=auth(canada)
    )
    assert acknowledged.status_code == 201, acknowledged.text
    return f"{url}/reviews", {"uk": keys["government"], "canada": canada} | keys


def _governments(client, url: str, key: str) -> list[str]:
    found = client.get(url, headers=auth(key))
    assert found.status_code == 200, found.text
    return [review["government"] for review in found.json()["items"]]


def test_by_default_governments_share_reviews(client, thread):
    url, keys = thread
    both = ["UK Home Office", "Public Safety Canada"]
    for reader in ("uk", "canada", "company", "admin"):
        assert _governments(client, url, keys[reader]) == both


def test_governments_may_keep_their_reviews_to_themselves(client, thread, monkeypatch):
    url, keys = thread
    monkeypatch.setenv("VPR_REVIEWS_SHARED_BETWEEN_GOVERNMENTS", "false")
    get_settings.cache_clear()
    try:
        assert _governments(client, url, keys["uk"]) == ["UK Home Office"]
        assert _governments(client, url, keys["canada"]) == ["Public Safety Canada"]
        uk_review = client.get(url, headers=auth(keys["uk"])).json()["items"][0]
        assert uk_review["answers"][0]["answer"] == "1,200."
        other = client.get(f"{url}/{uk_review['id']}", headers=auth(keys["canada"]))
        assert other.status_code == 404
        both = ["UK Home Office", "Public Safety Canada"]
        assert _governments(client, url, keys["company"]) == both
        assert _governments(client, url, keys["admin"]) == both
    finally:
        monkeypatch.delenv("VPR_REVIEWS_SHARED_BETWEEN_GOVERNMENTS")
        get_settings.cache_clear()
