"""The log's signing key and its checkpoints, in C2SP's signed-note format (tlog-checkpoint):

    <origin>\\n<tree size>\\n<base64 root hash>\\n\\n— <key name> <base64(key id || signature)>\\n

The key is Ed25519 (the `cryptography` package). It comes from VPR_LOG_SIGNING_KEY (in the
note format `PRIVATE+KEY+<name>+<id>+<base64(0x01 || seed)>`), or is generated once into
VPR_DATA_DIR/log_signing_key: every instance of one registry must share it."""

import base64
import contextlib
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from app.core.config import Settings, get_settings
from app.log.proofs import ED25519, key_id_of

PRIVATE_PREFIX = "PRIVATE+KEY+"


@dataclass(frozen=True)
class Signer:
    name: str  # the log's origin, which is also the key's name
    key: Ed25519PrivateKey

    @property
    def public(self) -> bytes:
        return self.key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    @property
    def key_id(self) -> bytes:
        return key_id_of(self.name, self.public)

    @property
    def verifier_key(self) -> str:
        encoded = base64.b64encode(ED25519 + self.public).decode()
        return f"{self.name}+{self.key_id.hex()}+{encoded}"

    def checkpoint(self, size: int, root: bytes) -> str:
        body = f"{self.name}\n{size}\n{base64.b64encode(root).decode()}\n"
        signature = base64.b64encode(self.key_id + self.key.sign(body.encode())).decode()
        return f"{body}\n\u2014 {self.name} {signature}\n"

    def private_text(self) -> str:
        seed = self.key.private_bytes_raw()
        encoded = base64.b64encode(ED25519 + seed).decode()
        return f"{PRIVATE_PREFIX}{self.name}+{self.key_id.hex()}+{encoded}"


def parse_private(text: str) -> Signer:
    if not text.startswith(PRIVATE_PREFIX):
        raise ValueError("a log signing key starts with PRIVATE+KEY+")
    name, _key_id, encoded = text.removeprefix(PRIVATE_PREFIX).strip().split("+", 2)
    raw = base64.b64decode(encoded, validate=True)
    if raw[:1] != ED25519:
        raise ValueError("the log signing key is not Ed25519")
    return Signer(name, Ed25519PrivateKey.from_private_bytes(raw[1:]))


def _from_file(settings: Settings) -> Signer:
    """The key kept in the data directory, made by whichever instance starts first: the file is
    written whole under a temporary name and linked into place only if none exists (two
    instances starting together must not sign with two keys)."""
    path = Path(settings.data_dir) / "log_signing_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        made = path.with_name(f"{path.name}.{os.getpid()}.new")
        made.touch(mode=0o600)
        made.write_text(Signer(settings.log_origin, Ed25519PrivateKey.generate()).private_text())
        with contextlib.suppress(FileExistsError):
            os.link(made, path)  # fails if another instance linked its key first
        made.unlink()
    return parse_private(path.read_text())


@lru_cache
def signer() -> Signer:
    settings = get_settings()
    if settings.log_signing_key is not None:
        return parse_private(settings.log_signing_key.get_secret_value())
    return _from_file(settings)
