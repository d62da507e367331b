"""RFC 9162 proofs: the verifier against transparency-dev/merkle's published test vectors (a
separate implementation's), the generator against the same vectors' trees, and both against each
other on every tree of 1..300 leaves, where any flipped bit must fail."""

import base64
import json
import random
from pathlib import Path
from typing import Any

import pytest

from app.log.merkle import consistency_proof, inclusion_proof, leaf_hash, root_of
from app.log.proofs import VerificationError, verify_consistency, verify_inclusion

VECTORS = json.loads(Path(__file__).with_name("transparency_dev_vectors.json").read_text())
# The leaves of RFC 6962's reference tests, from which the vectors' trees of 8 are made.
REFERENCE_LEAVES = [bytes.fromhex(h) for h in (
    "", "00", "10", "2021", "3031", "40414243", "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
)]  # fmt: skip


def _b64(value: str | None) -> bytes:
    return base64.b64decode(value) if value else b""


def _proof(case: dict[str, Any]) -> list[bytes]:
    return [_b64(h) for h in case.get("proof") or []]


@pytest.mark.parametrize("case", VECTORS["inclusion"], ids=lambda c: c["file"])
def test_inclusion_vectors(case):
    def check() -> None:
        verify_inclusion(
            case["leafIdx"], case["treeSize"], _b64(case["leafHash"]), _proof(case),
            _b64(case["root"]),
        )  # fmt: skip

    if case["wantErr"]:
        with pytest.raises(VerificationError):
            check()
    else:
        check()


@pytest.mark.parametrize("case", VECTORS["consistency"], ids=lambda c: c["file"])
def test_consistency_vectors(case):
    def check() -> None:
        verify_consistency(
            case["size1"], case["size2"], _b64(case["root1"]), _b64(case["root2"]), _proof(case)
        )

    if case["wantErr"]:
        with pytest.raises((VerificationError, ValueError)):
            check()
    else:
        check()


def _subtree(leaves: list[bytes]):
    return lambda start, end: root_of(leaves[start:end])


def test_the_generator_makes_the_vectors_proofs():
    leaves = [leaf_hash(data) for data in REFERENCE_LEAVES]
    happy = [c for c in VECTORS["inclusion"] if not c["wantErr"] and c["desc"] == "happy path"]
    assert happy
    for case in happy:
        size = case["treeSize"]
        assert root_of(leaves[:size]) == _b64(case["root"])
        assert inclusion_proof(case["leafIdx"], size, _subtree(leaves[:size])) == _proof(case)
    happy = [c for c in VECTORS["consistency"] if not c["wantErr"] and c["desc"] == "happy path"]
    assert happy
    for case in happy:
        if case["size1"] == 0:
            continue
        made = consistency_proof(case["size1"], case["size2"], _subtree(leaves[: case["size2"]]))
        assert made == _proof(case), case["file"]


def _flip(value: bytes, bit: int) -> bytes:
    flipped = bytearray(value)
    flipped[bit // 8 % len(flipped)] ^= 1 << (bit % 8)
    return bytes(flipped)


def test_every_tree_up_to_300_proves_and_no_flipped_bit_passes():
    rng = random.Random(9162)  # noqa: S311 - which leaves and bits to try, not secrets
    leaves = [leaf_hash(f"leaf {i}".encode()) for i in range(300)]
    roots = [b""] + [root_of(leaves[:n]) for n in range(1, 301)]
    for size in range(1, 301):
        subtree = _subtree(leaves[:size])
        index = rng.randrange(size)
        proof = inclusion_proof(index, size, subtree)
        verify_inclusion(index, size, leaves[index], proof, roots[size])
        old = rng.randrange(1, size + 1)
        step = consistency_proof(old, size, subtree)
        verify_consistency(old, size, roots[old], roots[size], step)
        # Any single flipped bit, in the leaf, a proof hash or the root, fails.
        bit = rng.randrange(256)
        with pytest.raises(VerificationError):
            verify_inclusion(index, size, _flip(leaves[index], bit), proof, roots[size])
        with pytest.raises(VerificationError):
            verify_inclusion(index, size, leaves[index], proof, _flip(roots[size], bit))
        if proof:
            spoiled = list(proof)
            position = rng.randrange(len(spoiled))
            spoiled[position] = _flip(spoiled[position], bit)
            with pytest.raises(VerificationError):
                verify_inclusion(index, size, leaves[index], spoiled, roots[size])
        if step:
            spoiled = list(step)
            position = rng.randrange(len(spoiled))
            spoiled[position] = _flip(spoiled[position], bit)
            with pytest.raises(VerificationError):
                verify_consistency(old, size, roots[old], roots[size], spoiled)
