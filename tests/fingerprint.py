"""A checksum of every row of every table: proof that a refused request changed nothing."""

import hashlib

from sqlalchemy import select
from sqlmodel import Session

from app.models import metadata

# Bookkeeping that any authenticated request may touch; not registry data.
IGNORED_COLUMNS = {("api_key", "last_used_at")}


def database_fingerprint(session: Session) -> str:
    digest = hashlib.sha256()
    for name, table in sorted(metadata.tables.items()):
        columns = [c for c in table.columns if (name, c.name) not in IGNORED_COLUMNS]
        rows = session.execute(select(*columns)).all()
        digest.update(name.encode())
        for row in sorted(repr(tuple(row)) for row in rows):
            digest.update(row.encode())
    return digest.hexdigest()
