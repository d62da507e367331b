"""GET /changes: every change in commit order, each once, and only those the caller may see."""

import threading
from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.keys.models import Role
from app.keys.service import KeySpec, issue_key
from app.main import create_app
from tests.conftest import auth, serve_from

# Submitted in these tests, so it reports on one principle at least.
DRAFT = {
    "period_start": "2025-01-01",
    "period_end": "2025-12-31",
    "entries": [{"principle": "VP-01", "status": "planned"}],
}


def _follow(
    client: TestClient, since: int = 0, headers: dict[str, str] | None = None, limit: int = 3
):
    """Follow the cursor to the end; return the changes seen and the last cursor."""
    seen = []
    while True:
        body = client.get(f"/api/v1/changes?since={since}&limit={limit}", headers=headers).json()
        seen += body["items"]
        since = body["cursor"]
        if not body["more"]:
            return seen, since


def test_each_role_sees_the_changes_it_may_see(client, keys):
    """Each caller's cursor is in its own numbering (issue 29), so each starts from its own."""
    callers = {
        "anonymous": None, **{role: auth(keys[role]) for role in
                              ("ngo", "other_company", "government", "company", "admin")},
    }  # fmt: skip
    starts = {name: _follow(client, 0, headers, limit=1000)[1] for name, headers in callers.items()}
    company, gov = auth(keys["company"]), auth(keys["government"])
    draft = client.post("/api/v1/updates", json=DRAFT, headers=company)
    url = draft.json()["url"]
    client.post(f"{url}/submit", headers=company | {"If-Match": draft.headers["etag"]})
    client.post(f"{url}/reviews", json={"kind": "acknowledged"}, headers=gov)

    def actions(name: str) -> list[str]:
        return [c["action"] for c in _follow(client, starts[name], callers[name])[0]]

    assert actions("anonymous") == ["update.submitted"]
    assert actions("ngo") == ["update.submitted"]
    assert actions("other_company") == ["update.submitted"]
    assert actions("government") == ["update.submitted", "review.acknowledged"]
    assert actions("company") == ["update.created", "update.submitted", "review.acknowledged"]
    assert actions("admin") == ["update.submitted", "review.acknowledged"]


def test_the_public_feed_and_the_log_count_no_private_change(client, keys):
    """Issue 29: the public feed's numbers had gaps where drafts, reviews and keys were; a
    member of the public counted them. Public changes are numbered among themselves, with no
    gap, in the feed and in the log's leaves alike."""
    before, start = _follow(client, 0, limit=1000)
    company, gov, admin = auth(keys["company"]), auth(keys["government"]), auth(keys["admin"])
    for _ in range(3):
        client.post("/api/v1/updates", json=DRAFT, headers=company)  # private drafts
    client.post("/api/v1/keys", json={"role": "ngo", "name": "another"}, headers=admin)
    draft = client.post("/api/v1/updates", json=DRAFT, headers=company)
    url = draft.json()["url"]
    client.post(f"{url}/submit", headers=company | {"If-Match": draft.headers["etag"]})
    client.post(f"{url}/reviews", json={"kind": "acknowledged"}, headers=gov)
    client.post("/api/v1/updates", json=DRAFT, headers=company)
    client.post(
        "/api/v1/companies/snap/endorsement-events",
        json={"kind": "reaffirmed", "occurred_on": "2025-01-01", "source_url": "https://e.org/r"},
        headers=admin,
    )
    seen, cursor = _follow(client, start)
    assert [c["action"] for c in seen] == ["update.submitted", "endorsement.reaffirmed"]
    assert [c["seq"] for c in seen] == [start + 1, start + 2]  # no gap for the private ones
    assert cursor == start + 2
    assert [c["seq"] for c in before + seen] == list(range(1, start + 3))
    assert _follow(client, 0, auth(keys["ngo"]), limit=1000)[0] == before + seen
    leaves = client.get("/api/v1/log/records", params={"url": url}).json()["leaves"]
    assert [leaf["seq"] for leaf in leaves] == [start + 1]
    # Those who see private changes are numbered among every change.
    private = _follow(client, 0, admin, limit=1000)[0]
    assert private[-1]["seq"] > start + 2


def test_changes_come_in_order_with_urls(client, keys):
    start = client.get("/api/v1/changes?since=0&limit=1000").json()["cursor"]
    for slug in ("snap", "roblox"):
        client.post(
            f"/api/v1/companies/{slug}/endorsement-events",
            json={
                "kind": "reaffirmed",
                "occurred_on": "2025-01-01",
                "precision": "day",
                "source_url": "https://example.org/r",
            },
            headers=auth(keys["admin"]),
        )
    seen, _ = _follow(client, start)
    assert [c["url"] for c in seen] == ["/api/v1/companies/snap", "/api/v1/companies/roblox"]
    assert seen[0]["seq"] < seen[1]["seq"]
    assert all(c["at"].endswith("Z") for c in seen)


def test_bad_cursors_are_422(client):
    for query in ("since=-1", "since=abc", "limit=0", "limit=1001"):
        assert client.get(f"/api/v1/changes?{query}").status_code == 422


def test_followers_see_every_change_once_while_writers_run_on_two_instances(live_engine):
    with Session(live_engine, expire_on_commit=False) as session:
        writer_keys = [
            issue_key(session, KeySpec(Role.COMPANY, slug, company=slug), "test").plaintext
            for slug in ("meta", "google", "snap", "roblox")
        ]
    instances = [serve_from(create_app(), live_engine) for _ in range(2)]
    for instance in instances:
        # FastAPI prepares routes on first use, with process-wide warning filters that are not
        # thread-safe: prepare them here, before the threads start.
        with TestClient(instance) as client:
            client.get("/api/v1/changes")
            client.post("/api/v1/updates/batch", json={}, headers=auth(writer_keys[0]))
    per_writer = 6
    done = threading.Event()
    follower_seen: list[int] = []

    def write(index: int) -> list[int]:
        with TestClient(instances[index % 2]) as client:
            ids = []
            for n in range(per_writer):
                body = {"updates": [DRAFT | {"summary": f"writer {index} #{n}"}]}
                response = client.post(
                    "/api/v1/updates/batch", json=body, headers=auth(writer_keys[index])
                )
                assert response.status_code == 201, response.text
                ids.append(response.json()["updates"][0]["id"])
            return ids

    def follow() -> None:
        with TestClient(instances[0]) as client:
            since = 0
            while True:
                finished = done.is_set()
                body = client.get(f"/api/v1/changes?since={since}&limit=5").json()
                follower_seen.extend(c["seq"] for c in body["items"])
                since = body["cursor"]
                if finished and not body["more"]:
                    return

    follower = threading.Thread(target=follow)
    follower.start()
    with ThreadPoolExecutor(len(writer_keys)) as pool:
        written = [i for ids in pool.map(write, range(len(writer_keys))) for i in ids]
    done.set()
    follower.join(timeout=60)

    with TestClient(instances[1]) as client:
        everything, _ = _follow(client, 0, limit=1000)
    submitted = {c["url"] for c in everything if c["action"] == "update.submitted"}
    assert submitted == {f"/api/v1/updates/{i}" for i in written}
    assert follower_seen == sorted(set(follower_seen))  # in order, none twice
    assert follower_seen == [c["seq"] for c in everything]  # and none missed
