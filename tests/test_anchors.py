"""Positions kept in a list's order (`app/core/anchors.py`): a page by offset starts from the
nearest kept position at or before it, positions are found once per state of the order and
only as deep as asked, and what was found while the order moved is not kept."""

import asyncio
from typing import Any

import pytest

from app.core import anchors

STATE_SQL = "state"


class Rows:
    """The row reader's one statement used here: the order's state, read again."""

    def __init__(self, state: tuple[Any, ...]) -> None:
        self.state = state

    async def row(self, sql: str, params: dict[str, Any] | None = None) -> tuple[Any, ...]:
        assert sql == STATE_SQL
        return self.state

    async def rows(self, sql: str, params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
        raise AssertionError("not read here")


class Listed:
    """An order over keys held in a list, counting its hops."""

    def __init__(self, keys: list[anchors.Key], name: str = "listed") -> None:
        self.keys, self.name, self.hops = keys, name, 0

    async def hop(self, rows: Any, after: anchors.Key | None, skip: int) -> anchors.Key | None:
        self.hops += 1
        first = 0 if after is None else self.keys.index(after) + 1
        at = first + skip
        return self.keys[at] if at < len(self.keys) else None


@pytest.fixture(autouse=True)
def small_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(anchors, "STEP", 3)
    anchors.forget()


def start(order: Listed, state: tuple[Any, ...], offset: int, rows: Rows | None = None) -> Any:
    reader = rows or Rows(state)
    return asyncio.run(anchors.start(reader, order, state, STATE_SQL, offset))  # type: ignore[arg-type]


def test_every_offset_starts_where_walking_would_arrive():
    keys = [(f"name {n:02d}", n) for n in range(11)] + [(None, 20), (None, 21)]
    order = Listed(keys)
    for offset in [*range(len(keys) + 5), 1000]:
        after, skip = start(order, ("epoch", 1), offset)
        first = 0 if after is None else keys.index(after) + 1
        assert first + skip == offset, offset
        assert skip < anchors.STEP or first == len(keys) - len(keys) % anchors.STEP, offset


def test_positions_are_found_once_and_only_as_deep_as_asked():
    order = Listed([("k", n) for n in range(30)])
    assert start(order, ("epoch", 1), 2) == (None, 2)
    assert order.hops == 0  # the first positions walk, as they always did
    assert start(order, ("epoch", 1), 7) == (("k", 5), 1)
    assert order.hops == 2
    assert start(order, ("epoch", 1), 6) == (("k", 5), 0)
    assert start(order, ("epoch", 1), 13) == (("k", 11), 1)
    assert order.hops == 4  # two kept, two more found
    start(order, ("epoch", 1), 1000)
    hops = order.hops
    assert start(order, ("epoch", 1), 2000) == (("k", 29), 2000 - 30)
    assert order.hops == hops  # the end of the list is known


def test_a_moved_order_is_found_again():
    keys = [("k", n) for n in range(30)]
    order = Listed(keys)
    assert start(order, ("epoch", 1), 9) == (("k", 8), 0)
    keys.insert(0, ("a", 99))  # a company sorted first: every position moves by one
    assert start(order, ("epoch", 2), 9) == (("k", 7), 0)
    assert order.hops == 6
    other = Listed(keys)  # the same name in another database (epoch): its own positions
    assert start(other, ("other", 2), 9) == (("k", 7), 0)
    assert other.hops == 3


def test_what_was_found_while_the_order_moved_is_not_kept():
    order = Listed([("k", n) for n in range(30)])
    moved = Rows(("epoch", 2))  # a write committed between the moment and the state read again
    assert start(order, ("epoch", 1), 9, moved) == (None, 9)  # walks, as it would have
    assert start(order, ("epoch", 1), 9) == (("k", 8), 0)
    assert order.hops == 6  # found again: nothing was kept the first time


def test_kept_orders_are_bounded(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(anchors, "KEPT_ORDERS", 2)
    orders = [Listed([("k", n) for n in range(9)], name=f"order {n}") for n in range(3)]
    for order in orders:
        start(order, ("epoch", 1), 4)
    start(orders[0], ("epoch", 1), 4)
    assert orders[0].hops == 2  # the oldest was let go, and found again
