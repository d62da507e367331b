"""API key format and hashing.

A key reads `vpr_<id>_<secret>_<check>`: the id finds the row, the secret is 40 random base62
characters, and the check (CRC32 of id and secret) lets a mistyped key fail before any lookup.
Only HMAC-SHA256(server secret, key) is stored; comparison is constant-time.
"""

import hashlib
import hmac
import re
import secrets
import string
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from app.core.config import Settings, get_settings

KEY_PREFIX = "vpr"
_ALPHABET = string.ascii_letters + string.digits
_KEY_SHAPE = r"vpr_([a-z0-9]{8})_([A-Za-z0-9]{40})_([0-9a-f]{8})"
_KEY_RE = re.compile(f"^{_KEY_SHAPE}$")
_KEY_ANYWHERE = re.compile(_KEY_SHAPE)


@dataclass(frozen=True)
class ParsedKey:
    key_id: str
    plaintext: str


def _check(key_id: str, secret: str) -> str:
    return f"{zlib.crc32(f'{key_id}{secret}'.encode()):08x}"


def new_key() -> ParsedKey:
    key_id = "".join(secrets.choice(string.ascii_lowercase + string.digits) for _ in range(8))
    secret = "".join(secrets.choice(_ALPHABET) for _ in range(40))
    return ParsedKey(key_id, f"{KEY_PREFIX}_{key_id}_{secret}_{_check(key_id, secret)}")


def parse_key(plaintext: str) -> ParsedKey | None:
    """The key's id when the key is well formed and its check digits match, else None."""
    match = _KEY_RE.match(plaintext)
    if match is None or not hmac.compare_digest(_check(match[1], match[2]), match[3]):
        return None
    return ParsedKey(match[1], plaintext)


def bearer_token(authorization: str) -> str | None:
    """The key in an `Authorization` header: scheme `Bearer` in any case (RFC 9110: schemes
    are case-insensitive), then the token; None when the header says anything else. The one
    parser of the header: authentication and rate limits must agree on whose key it is."""
    scheme, _, token = authorization.partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


def holds_key_shape(text: str) -> bool:
    """Something shaped like a key appears anywhere in the text (a URL's query value, say)."""
    return _KEY_ANYWHERE.search(text) is not None


def has_key_shape(plaintext: str) -> bool:
    """Shaped like a key (prefix, id, secret, check digits), whether or not the digits match."""
    return _KEY_RE.match(plaintext) is not None


def hash_key(plaintext: str) -> str:
    return hmac.new(server_secret(), plaintext.encode(), hashlib.sha256).hexdigest()


def key_matches(plaintext: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_key(plaintext), stored_hash)


def _secret_from_file(settings: Settings) -> bytes:
    """Zero-setup fallback: one generated secret kept beside the SQLite database."""
    path = Path(settings.data_dir) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(48))
    return path.read_text().strip().encode()


@lru_cache
def server_secret() -> bytes:
    settings = get_settings()
    if settings.secret_key is not None:
        return settings.secret_key.get_secret_value().encode()
    return _secret_from_file(settings)
