"""The proofs a verifier checks, trusting nothing but the log's public key: RFC 9162 inclusion
and consistency proofs, and C2SP signed-note checkpoints (Ed25519).

Standalone on purpose, as `verifier.py` beside it is: no import from the rest of the project."""

import base64
import hashlib
from dataclasses import dataclass
from typing import Any

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

ED25519 = b"\x01"  # the signed-note signature type of Ed25519
HASH_SIZE = 32


class VerificationError(Exception):
    """A proof, a signature or a record that does not hold; the message names which."""


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def _hashes(*hashes: bytes) -> None:
    if any(len(value) != HASH_SIZE for value in hashes):
        raise VerificationError(f"a hash that is not {HASH_SIZE} bytes")


def verify_inclusion(index: int, size: int, leaf: bytes, proof: list[bytes], root: bytes) -> None:
    """RFC 9162 2.1.3.2."""
    _hashes(leaf, root, *proof)
    if not 0 <= index < size:
        raise VerificationError(f"leaf {index} cannot be in a tree of {size}")
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            raise VerificationError("the inclusion proof is longer than the tree is deep")
        if fn & 1 or fn == sn:
            r = _node(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = _node(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0 or r != root:
        raise VerificationError(f"leaf {index} is not in the tree of {size} with that root")


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: list[bytes]
) -> None:
    """RFC 9162 2.1.4.2 (a tree is consistent with itself by an empty proof)."""
    if not 0 < old_size <= new_size:
        raise VerificationError(f"no consistency from {old_size} leaves to {new_size}")
    if old_size == new_size:
        if proof or old_root != new_root:
            raise VerificationError(f"two different trees of {old_size} leaves")
        return
    _hashes(old_root, new_root, *proof)
    path = list(proof)
    if not path:
        raise VerificationError("an empty consistency proof between different sizes")
    if old_size & (old_size - 1) == 0:  # an exact power of two: the old root is a node
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise VerificationError("the consistency proof is longer than the tree is deep")
        if fn & 1 or fn == sn:
            fr, sr = _node(c, fr), _node(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = _node(sr, c)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0 or fr != old_root or sr != new_root:
        raise VerificationError(f"the tree of {new_size} does not extend the tree of {old_size}")


@dataclass(frozen=True)
class VerifierKey:
    """A signed-note verifier key: `<name>+<key id, 8 hex>+<base64(0x01 || Ed25519 key)>`."""

    name: str
    key_id: bytes
    public: Ed25519PublicKey

    @classmethod
    def parse(cls, text: str) -> "VerifierKey":
        try:
            name, key_id, encoded = text.strip().split("+", 2)
            raw = base64.b64decode(encoded, validate=True)
        except ValueError as exc:
            raise VerificationError("not a verifier key (name+id+key)") from exc
        if raw[:1] != ED25519 or len(raw) != 33:  # noqa: PLR2004
            raise VerificationError("not an Ed25519 verifier key")
        if key_id_of(name, raw[1:]) != bytes.fromhex(key_id):
            raise VerificationError("the verifier key's id does not match its key")
        return cls(name, bytes.fromhex(key_id), Ed25519PublicKey.from_public_bytes(raw[1:]))


def key_id_of(name: str, public: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + ED25519 + public).digest()[:4]


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    text: str  # the whole signed note, as received


def open_checkpoint(note: str, key: VerifierKey) -> Checkpoint:
    """The checkpoint a signed note carries, once its signature by `key` is checked."""
    body, separator, signatures = note.partition("\n\n")
    if not separator or not body:
        raise VerificationError("not a signed note")
    signed = (body + "\n").encode()
    found = False
    for line in signatures.splitlines():
        parts = line.split(" ")
        if len(parts) != 3 or parts[0] != "\u2014" or parts[1] != key.name:  # noqa: PLR2004
            continue
        raw = base64.b64decode(parts[2])
        if raw[:4] != key.key_id:
            continue
        try:
            key.public.verify(raw[4:], signed)
        except InvalidSignature as exc:
            raise VerificationError("the checkpoint's signature does not verify") from exc
        found = True
    if not found:
        raise VerificationError(f"the checkpoint carries no signature by {key.name}")
    lines = body.split("\n")
    if len(lines) < 3 or lines[0] != key.name:  # noqa: PLR2004
        raise VerificationError("the checkpoint's origin is not the key's log")
    return Checkpoint(lines[0], int(lines[1]), base64.b64decode(lines[2]), note)


def state_digest(state: Any) -> str:
    """SHA-256 of a public document's canonical JSON (RFC 8785), as the log records it."""
    return hashlib.sha256(rfc8785.dumps(state)).hexdigest()
