"""The read fast path: answers from memory while the clock stands still, never after it moved."""

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlmodel import Session
from starlette.types import Receive, Scope, Send

from app.access import PUBLIC_SCOPE
from app.changes.clock import ClockUnavailableError, clock_for
from app.core.etags import data_version, etag
from app.http.conditional import REPRESENTATION_STATE, Representation
from app.http.context import ROUTE_STATE, route_named
from app.http.response_cache import ResponseCache
from app.keys.models import Role
from app.keys.service import KeySpec, issue_key
from app.main import create_app
from tests.conftest import auth, serve_from


class CountingClock:
    def __init__(self, url: str) -> None:
        self.inner = clock_for(url)
        self.reads = 0
        self.down = False

    async def aclose(self) -> None:
        await self.inner.aclose()

    async def current(self) -> int:
        self.reads += 1
        if self.down:
            raise ClockUnavailableError("simulated outage")
        return await self.inner.current()


@pytest.fixture
def cached(live_engine) -> Iterator[tuple[TestClient, TestClient, CountingClock, str]]:
    url = live_engine.url.render_as_string(hide_password=False)
    with Session(live_engine, expire_on_commit=False) as session:
        admin = issue_key(session, KeySpec(Role.ADMIN, "admin"), "test").plaintext
    clock = CountingClock(url)
    reader = serve_from(create_app(clock=clock), live_engine)
    writer = serve_from(create_app(clock=CountingClock(url)), live_engine)
    with TestClient(reader) as r, TestClient(writer) as w:
        yield r, w, clock, admin


def test_repeat_reads_come_from_memory(cached, live_engine):
    reader, _, _, _ = cached
    first = reader.get("/api/v1/companies?status=endorsed")
    statements: list[str] = []
    event.listen(live_engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    second = reader.get("/api/v1/companies?status=endorsed")
    assert statements == []  # the app was not entered: no ORM query at all
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert second.headers["etag"] == first.headers["etag"]
    assert second.headers["content-type"] == "application/json"
    not_modified = reader.get(
        "/api/v1/companies?status=endorsed", headers={"If-None-Match": first.headers["etag"]}
    )
    assert not_modified.status_code == 304


def test_cached_answers_keep_their_headers_however_often_served(cached):
    reader, _, _, _ = cached
    answers = [reader.get("/api/v1/companies", headers={"X-Request-ID": f"r{n}"}) for n in range(5)]
    assert [a.headers.get_list("x-request-id") for a in answers] == [[f"r{n}"] for n in range(5)]
    assert len({len(a.headers.multi_items()) for a in answers}) == 1


def test_a_write_on_another_instance_is_seen_at_once(cached):
    reader, writer, _, admin = cached
    before = reader.get("/api/v1/companies/snap")
    assert before.json()["endorsement"]["status"] == "endorsed"
    written = writer.post(
        "/api/v1/companies/snap/endorsement-events",
        json={
            "kind": "withdrawn",
            "occurred_on": "2025-01-01",
            "precision": "day",
            "source_url": "https://example.org/w",
        },
        headers=auth(admin),
    )
    assert written.status_code == 201
    after = reader.get("/api/v1/companies/snap", headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200
    assert after.json()["endorsement"]["status"] == "withdrawn"


def test_keyed_requests_and_exports_bypass_the_cache(cached):
    reader, _, clock, admin = cached
    reads = clock.reads
    reader.get("/api/v1/updates", headers=auth(admin))
    reader.get("/api/v1/exports/companies.csv")
    assert clock.reads == reads


def test_a_url_held_nowhere_is_answered_without_the_caches_clock_read(cached):
    """The app reads the clock with its answer; the cache stores it and reads the clock only
    once it holds something to compare (or is asked If-None-Match)."""
    reader, _, clock, _ = cached
    reads = clock.reads
    first = reader.get("/api/v1/companies/meta")
    assert clock.reads == reads
    again = reader.get("/api/v1/companies/meta")
    assert clock.reads == reads + 1
    assert again.content == first.content
    assert again.headers["etag"] == first.headers["etag"]
    # A tag to compare: the clock is read even for a URL held nowhere (nothing changed: 304).
    tagged = reader.get("/api/v1/companies/snap", headers={"If-None-Match": first.headers["etag"]})
    assert tagged.status_code == 304
    assert clock.reads == reads + 2


def test_when_the_clock_cannot_be_read_the_app_answers(cached):
    reader, _, clock, _ = cached
    assert reader.get("/api/v1/principles").status_code == 200  # held: the clock is read next
    clock.down = True
    response = reader.get("/api/v1/principles")
    assert response.status_code == 200
    assert len(response.json()) == 11


def test_coalesced_reads_never_answer_with_a_read_older_than_the_request():
    import asyncio  # noqa: PLC0415

    from app.engines.base import CoalescedReader as CoalescedClock  # noqa: PLC0415

    class SlowClock:
        def __init__(self) -> None:
            self.value = 0
            self.reads = 0

        async def current(self) -> int:
            self.reads += 1
            seen = self.value
            await asyncio.sleep(0.01)
            return seen

        async def aclose(self) -> None:
            pass

    async def scenario() -> tuple[list[int], int, int]:
        inner = SlowClock()
        clock = CoalescedClock(inner)
        early = [asyncio.create_task(clock.current()) for _ in range(20)]
        await asyncio.sleep(0.001)  # the first read is under way...
        inner.value = 1  # ...when a write commits
        late = [asyncio.create_task(clock.current()) for _ in range(20)]
        values = await asyncio.gather(*early, *late)
        return values, inner.reads, len(early)

    values, reads, early = asyncio.run(scenario())
    assert set(values[:early]) <= {0, 1}
    assert set(values[early:]) == {1}  # requests after the write never get the old value
    assert reads == 2  # forty requests, two queries


def test_on_sqlite_one_clock_read_serves_every_request_waiting(tmp_path, monkeypatch):
    """SQLite's clock reader is coalesced too: a cached 304 at 20,000 companies went from
    6,600-9,400 to 11,700-12,400 req/s when queued requests stopped each running a statement."""
    import asyncio  # noqa: PLC0415
    import sqlite3  # noqa: PLC0415

    from app.engines.sqlite import SqliteEngine  # noqa: PLC0415

    path = tmp_path / "clock.sqlite3"
    with sqlite3.connect(path) as writer:
        writer.execute("CREATE TABLE clock (value INTEGER)")
        writer.execute("INSERT INTO clock VALUES (7)")
    statements: list[str] = []
    connect = sqlite3.connect

    def traced(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        connection: sqlite3.Connection = connect(*args, **kwargs)
        connection.set_trace_callback(statements.append)
        return connection

    monkeypatch.setattr(sqlite3, "connect", traced)
    reader = SqliteEngine().scalar_reader(f"sqlite:///{path}", "SELECT value FROM clock")

    async def forty_requests() -> list[int]:
        try:
            return await asyncio.gather(*(reader.current() for _ in range(40)))
        finally:
            await reader.aclose()

    assert asyncio.run(forty_requests()) == [7] * 40
    assert statements == ["SELECT value FROM clock"]  # one read for the forty


class _FixedClock:
    async def current(self) -> int:
        return 1

    async def aclose(self) -> None:
        return None


def test_the_cache_is_bounded_by_bytes_and_drops_the_least_recently_used():
    """Distinct URLs of large answers (a client varying a parameter) cannot grow memory past
    the byte budget: the least recently used answers go first."""
    computed: list[str] = []

    async def answer(scope: Scope, receive: Receive, send: Send) -> None:
        computed.append(scope["query_string"].decode())
        scope["state"][REPRESENTATION_STATE] = Representation(PUBLIC_SCOPE, "public.1")
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"x" * 1000})

    cache = ResponseCache(answer, _FixedClock(), max_bytes=5000)
    client = TestClient(cache)  # no lifespan: the app under the cache is this function alone
    for n in range(20):
        assert client.get(f"/api/v1/anything?n={n}").status_code == 200
    assert cache.bytes_held <= 5000
    assert len(cache.entries) == 5
    client.get("/api/v1/anything?n=19")  # among the newest: from memory
    client.get("/api/v1/anything?n=0")  # dropped long ago: computed again
    assert computed[20:] == ["n=0"]


def test_a_hit_names_the_route_its_answer_named():
    """The metrics name a hit or a 304 by the route the stored answer named, so a new URL served
    from memory is never matched against every route (a tenth of a cold page's time)."""
    named: list[str | None] = []

    version = data_version(PUBLIC_SCOPE, 1)  # the fixed clock's

    async def answer(scope: Scope, receive: Receive, send: Send) -> None:
        scope["state"][ROUTE_STATE] = "/api/v1/things/{slug}"
        scope["state"][REPRESENTATION_STATE] = Representation(PUBLIC_SCOPE, version)
        headers = [(b"etag", etag(version).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"{}"})

    async def outer(scope: Scope, receive: Receive, send: Send) -> None:
        scope["state"] = {}
        await cache(scope, receive, send)
        named.append(route_named(scope))

    cache = ResponseCache(answer, _FixedClock())
    client = TestClient(outer)
    made = client.get("/api/v1/things/a")  # made, and kept
    assert made.status_code == 200
    assert client.get("/api/v1/things/a").status_code == 200  # from memory
    revalidated = client.get("/api/v1/things/a", headers={"If-None-Match": made.headers["etag"]})
    assert revalidated.status_code == 304  # from memory too
    assert len(cache.entries) == 1
    assert named == ["/api/v1/things/{slug}"] * 3
