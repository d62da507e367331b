"""Merkle tree hashing and proof generation as RFC 9162 section 2.1 defines them, over a tree
whose subtree hashes are looked up rather than recomputed (`app/log/store.py` keeps every
complete, aligned subtree): a proof reads O(log n) hashes. Verification lives in
`app/log/proofs.py`, which has no project imports so that it can be run on its own."""

import hashlib
from collections.abc import Callable

LEAF_PREFIX, NODE_PREFIX = b"\x00", b"\x01"
SubtreeHash = Callable[[int, int], bytes]  # MTH(D[start:end]) for the stored tree


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def split(size: int) -> int:
    """The largest power of two smaller than `size` (size > 1): where RFC 9162 splits D[n]."""
    return 1 << ((size - 1).bit_length() - 1)


def root_of(leaves: list[bytes]) -> bytes:
    """MTH of a list of leaf hashes, computed directly (for tests and small trees)."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = split(len(leaves))
    return node_hash(root_of(leaves[:k]), root_of(leaves[k:]))


def inclusion_proof(index: int, size: int, subtree: SubtreeHash) -> list[bytes]:
    """PATH(m, D[n]) of RFC 9162 2.1.3.1: the hashes that lead from leaf `index` to the root of
    the first `size` leaves, nearest first."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of {size}")
    proof: list[bytes] = []
    start, end = 0, size
    while end - start > 1:
        k = split(end - start)
        if index < start + k:
            proof.append(subtree(start + k, end))
            end = start + k
        else:
            proof.append(subtree(start, start + k))
            start += k
    return proof[::-1]


def consistency_proof(old_size: int, new_size: int, subtree: SubtreeHash) -> list[bytes]:
    """PROOF(m, D[n]) of RFC 9162 2.1.4.1: what shows the tree of `old_size` leaves is a prefix
    of the tree of `new_size`."""
    if not 0 < old_size <= new_size:
        raise ValueError(f"no consistency proof from {old_size} to {new_size}")
    if old_size == new_size:
        return []
    return _subproof(old_size, 0, new_size, True, subtree)[::-1]


def _subproof(m: int, start: int, end: int, complete: bool, subtree: SubtreeHash) -> list[bytes]:
    """SUBPROOF(m, D[start:end], b), iteratively unrolled into its recursion on the right."""
    n = end - start
    if m == n:
        return [] if complete else [subtree(start, end)]
    k = split(n)
    if m <= k:
        return [subtree(start + k, end), *_subproof(m, start, start + k, complete, subtree)]
    return [subtree(start, start + k), *_subproof(m - k, start + k, end, False, subtree)]
