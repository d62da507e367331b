"""Offsets that stay cheap deep in a long list.

A page by offset makes the database walk every row before it: half-way down 100,000 companies
that walk was four times the first page's whole answer. For a list whose order seldom moves
(the company list's moves only when a company is added, renamed or its endorsement changes),
the sort keys at every STEP-th position are found once, kept in the process, and a page at
offset N starts after the key at the nearest kept position at or before it: fewer than STEP
rows walked, at any depth.

What is kept is named by the order's state: the database's epoch and a counter that every change
of the order moves in the transaction that makes it (`clock.move_company_order`). Positions are
used only for the state read with the request (in its one moment statement), and are kept only
when the state read again after finding them is the same, so no change of the order committed
while they were being found. A request that finds them changed walks, as it would have.
"""

from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any, Protocol

from app.engines.base import RowReader

# Rows walked at most beyond a kept position. 500 walked ~250 on average: 8 us of a list page's
# ids on SQLite and a fifth of a keyed update list's time (its read after a key is two ranges);
# 100 keeps at most 10,000 keys an order at the deepest offset the API takes.
STEP = 100
KEPT_ORDERS = 64  # orders (a sort over a filter, per database) kept at once

Key = tuple[Any, int]  # a row's sort value and its id
State = tuple[Any, ...]  # the database's epoch and its order counter


class Ordering(Protocol):
    """One list's order (a sort over a filter)."""

    @property
    def name(self) -> Hashable: ...

    async def hop(self, rows: RowReader, after: Key | None, skip: int) -> Key | None:
        """The key of the row `skip` rows on from the first after `after` (None: from the
        top; LIMIT 1 OFFSET skip), or None when the list ends first."""


@dataclass
class _Positions:
    counter: Any
    keys: list[Key]  # keys[i]: the key at position (i + 1) * STEP - 1
    complete: bool  # every position of the list is in keys


_known: "OrderedDict[tuple[Any, Hashable], _Positions]" = OrderedDict()


def forget() -> None:
    """Drop every kept position (a test's rolled-back writes reuse the counter's numbers; a
    committed state never does)."""
    _known.clear()


async def start(
    rows: RowReader, ordering: Ordering, state: State, state_sql: str, offset: int
) -> tuple[Key | None, int]:
    """Where the page at `offset` begins: after the key returned (None: at the top), skipping
    the number of rows returned."""
    wanted = offset // STEP
    if wanted == 0:
        return None, offset
    epoch, counter = state
    name = (epoch, ordering.name)
    known = _known.get(name)
    if known is None or known.counter != counter:
        known = _Positions(counter, [], complete=False)
    else:
        _known.move_to_end(name)
    if len(known.keys) < wanted and not known.complete:
        known = await _extend(rows, ordering, known, wanted)
        found = await rows.row(state_sql)
        if found is None or tuple(found) != tuple(state):
            return None, offset  # the order moved meanwhile: walk, and keep nothing
        _known[name] = known
        while len(_known) > KEPT_ORDERS:
            _known.popitem(last=False)
    reached = min(wanted, len(known.keys))
    if reached == 0:
        return None, offset
    return known.keys[reached - 1], offset - reached * STEP


async def _extend(
    rows: RowReader, ordering: Ordering, known: _Positions, wanted: int
) -> _Positions:
    """The positions up to `wanted`, hopping STEP rows at a time from the last one known (on a
    copy: concurrent requests may extend the same order; each keeps a valid copy)."""
    keys = list(known.keys)
    while len(keys) < wanted:
        found = await ordering.hop(rows, keys[-1] if keys else None, STEP - 1)
        if found is None:
            return _Positions(known.counter, keys, complete=True)
        keys.append(found)
    return _Positions(known.counter, keys, complete=False)
