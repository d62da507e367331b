"""Fixtures for comparing what the layer before routing answers (`StoredDocuments`) with what
the routes answer: the same data served by an app without that layer, a spy on the layer, and
one exchange with its compared headers."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.core import anchors
from app.core.config import get_settings
from app.core.db import get_engine, get_session
from app.core.rows import SessionRows
from app.http.stored_documents import StoredDocuments
from app.main import create_app

COMPARED = ("etag", "cache-control", "vary", "link", "content-type", "content-length")


@pytest.fixture
def through_the_route(monkeypatch, session, engine) -> Iterator[TestClient]:
    """The same data served by an app without the StoredDocuments layer: the route answers."""
    monkeypatch.setenv("VPR_STORED_DOCUMENTS", "false")
    get_settings.cache_clear()
    try:
        app = create_app()
    finally:
        get_settings.cache_clear()
    app.dependency_overrides[get_session] = lambda: session
    app.dependency_overrides[get_engine] = lambda: engine
    app.state.rows = SessionRows(session)
    with TestClient(app) as client:
        yield client


@pytest.fixture
def answered(monkeypatch) -> list[bool]:
    """Whether the layer answered, request by request (the route app has no such layer)."""
    seen: list[bool] = []
    answer = StoredDocuments._answer

    async def spied(self: StoredDocuments, *args: Any) -> Any:
        made = await answer(self, *args)
        seen.append(made is not None)
        return made

    monkeypatch.setattr(StoredDocuments, "_answer", spied)
    return seen


def exchange(client: TestClient, url: str, headers: dict[str, str]) -> tuple[Any, ...]:
    """The status, the compared headers and the body of one GET."""
    response = client.get(url, headers=headers)
    shown = {name: response.headers.get(name) for name in COMPARED}
    return response.status_code, shown, response.content


def hops_of(monkeypatch: pytest.MonkeyPatch, order: type[Any]) -> list[object]:
    """Keep a position every second row (`app/core/anchors.py`) and record each hop that
    `order` (a list's order class) makes to find one."""
    monkeypatch.setattr(anchors, "STEP", 2)
    hops: list[object] = []
    hop = order.hop

    async def counted(self: Any, *args: Any) -> Any:
        hops.append(self.name)
        return await hop(self, *args)

    monkeypatch.setattr(order, "hop", counted)
    return hops


def found_then_kept(
    client: TestClient, urls: list[str], hops: list[object], compare: Callable[[], None]
) -> None:
    """`compare` the pages (positions are found on the way), then ask for them again: while
    the order stands, not one hop more."""
    compare()
    assert hops
    hops.clear()
    for url in urls:
        client.get(url)
    assert hops == []  # the order stood: every position was kept
