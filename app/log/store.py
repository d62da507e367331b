"""Appending to the log inside the writing transaction, and reading its tree.

A leaf is appended by the same transaction as the public change it records, after the change
clock's row lock (taken by `audit.record`) has ordered that transaction among all writers: leaf
numbers follow commit order without gaps. Each append also stores the hash of every subtree it
completes (amortised one row), so any subtree hash, hence any proof, costs O(log n) reads."""

from datetime import datetime
from typing import Any

import rfc8785
from sqlalchemy import func, select
from sqlmodel import Session, col

from app.log.merkle import leaf_hash, node_hash, split
from app.log.models import LogLeaf, LogNode
from app.log.proofs import state_digest

EMPTY_ROOT = bytes.fromhex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")


def leaf_data(
    seq: int, at: datetime, action: str, resource_type: str, url: str, state: Any
) -> bytes:
    """The leaf: the public record of one change, as canonical JSON (RFC 8785), with the SHA-256
    of the resource's public state after it (null where the change has no public state)."""
    record: dict[str, Any] = {
        "seq": seq, "at": at.isoformat(), "action": action, "resource_type": resource_type,
        "url": url, "state_sha256": None if state is None else state_digest(state),
    }  # fmt: skip
    return bytes(rfc8785.dumps(record))


def size(session: Session) -> int:
    found = session.execute(select(func.max(col(LogLeaf.idx)))).scalar_one_or_none()
    return 0 if found is None else int(found) + 1


def append(session: Session, seq: int, url: str, data: bytes) -> int:
    """Add the leaf and the subtrees it completes; its index."""
    index = size(session)
    hashed = leaf_hash(data)
    session.add(LogLeaf(idx=index, seq=seq, url=url, data=data.decode(), leaf_hash=hashed))
    session.add(LogNode(level=0, idx=index, hash=hashed))
    level, position, current = 0, index, hashed
    while position & 1:  # a right child: its parent is complete now
        left = session.get(LogNode, (level, position - 1))
        assert left is not None  # noqa: S101 - every complete subtree is stored
        current = node_hash(left.hash, current)
        level, position = level + 1, position >> 1
        session.add(LogNode(level=level, idx=position, hash=current))
    session.flush()
    return index


def subtree_hash(session: Session, start: int, end: int) -> bytes:
    """MTH(D[start:end]) for a range RFC 9162's recursion visits: an aligned complete subtree
    is one stored row; a right edge is split as the RFC splits it."""
    width = end - start
    if width & (width - 1) == 0 and start % width == 0:
        node = session.get(LogNode, (width.bit_length() - 1, start // width))
        if node is None:
            raise LookupError(f"no stored subtree [{start}, {end})")
        return bytes(node.hash)
    k = split(width)
    return node_hash(subtree_hash(session, start, start + k), subtree_hash(session, start + k, end))


def root(session: Session, tree_size: int) -> bytes:
    return EMPTY_ROOT if tree_size == 0 else subtree_hash(session, 0, tree_size)


def record_change(session: Session, change: Any, state: dict[str, Any] | None) -> int:
    """Log a public audit record (`change`: its public number, time, action, type and URL)."""
    number = change.public_seq
    data = leaf_data(number, change.at, change.action, change.resource_type, change.url, state)
    return append(session, number, change.url, data)


def checkpoint_at(session: Session, tree_size: int | None) -> dict[str, Any] | None:
    """The log's signed checkpoint of its first `tree_size` leaves (None when unknown)."""
    from app.log.signing import signer  # noqa: PLC0415 - the key is read only when needed

    if tree_size is None or tree_size > size(session):
        return None
    return {
        "tree_size": tree_size,
        "checkpoint": signer().checkpoint(tree_size, root(session, tree_size)),
    }
