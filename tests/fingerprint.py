"""A checksum of every row of every table: proof that a refused request changed nothing."""

from sqlmodel import Session

from app.backup.codec import checksum

# Bookkeeping that any authenticated request may touch; not registry data.
IGNORED_COLUMNS = frozenset({("api_key", "last_used_at")})


def database_fingerprint(session: Session) -> str:
    return checksum(session.connection(), IGNORED_COLUMNS)
