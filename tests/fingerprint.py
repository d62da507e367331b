"""A checksum of every row of every table: proof that a refused request changed nothing."""

import hashlib

from sqlalchemy import select
from sqlmodel import Session

from app.models import metadata


def database_fingerprint(session: Session) -> str:
    digest = hashlib.sha256()
    for name, table in sorted(metadata.tables.items()):
        rows = session.execute(select(table)).all()
        digest.update(name.encode())
        for row in sorted(repr(tuple(row)) for row in rows):
            digest.update(row.encode())
    return digest.hexdigest()
