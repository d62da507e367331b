"""A key's plaintext checked against its record: the first thing every keyed request does.

Read through the async row reader (`app/core/rows.py`), so checking a key takes no worker
thread and no ORM session; only recording its use (once a minute at most) is a write.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import text, update
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col
from starlette.concurrency import run_in_threadpool

from app.access import Principal
from app.changes.clock import CLOCK_COLUMN, PUBLIC_CLOCK_COLUMN
from app.core.db import writing
from app.core.errors import UnauthorizedError
from app.core.security import has_key_shape, key_matches, parse_key
from app.core.types import as_utc, utcnow
from app.engines.base import RowReader, UnavailableError
from app.keys.models import ApiKey, Role

log = logging.getLogger(__name__)

# Writing last_used_at on every request would turn each read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)
KEY_COLUMNS = (
    "api_key.id, api_key.key_id, api_key.secret_hash, api_key.role, api_key.company_id, "
    "api_key.government, api_key.last_used_at, api_key.expires_at, api_key.revoked_at"
)
KEY_RECORD = f"SELECT {KEY_COLUMNS} FROM api_key WHERE key_id = :key_id"  # noqa: S608 - constant


@dataclass(frozen=True)
class KeyRecord:
    pk: int
    key_id: str
    secret_hash: str
    role: Role
    company_id: int | None
    government: str | None
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def of(cls, row: tuple[Any, ...]) -> "KeyRecord":
        pk, key_id, secret_hash, role, company_id, government, *times = row
        used, expires, revoked = (as_utc(value) for value in times)
        return cls(
            pk, key_id, secret_hash, Role(role), company_id, government, used, expires, revoked
        )

    @property
    def principal(self) -> Principal:
        return Principal(self.role, self.pk, self.key_id, self.company_id, self.government)


def key_id_of(plaintext: str) -> str:
    """The id a well-formed key names, or UnauthorizedError saying what is wrong with it."""
    parsed = parse_key(plaintext)
    if parsed is None:
        if has_key_shape(plaintext):
            raise UnauthorizedError("The API key is mistyped: its check digits do not match.")
        raise UnauthorizedError("The API key is malformed.")
    return parsed.key_id


def checked(plaintext: str, row: tuple[Any, ...] | None, now: datetime) -> KeyRecord:
    """The live key on record for this plaintext, or UnauthorizedError saying why not."""
    record = None if row is None else KeyRecord.of(row)
    if record is None or not key_matches(plaintext, record.secret_hash):
        raise UnauthorizedError("The API key is not valid.")
    if record.revoked_at is not None:
        raise UnauthorizedError("The API key has been revoked.")
    if record.expires_at is not None and record.expires_at <= now:
        raise UnauthorizedError("The API key has expired.")
    return record


def _used_long_ago(record: KeyRecord, now: datetime) -> bool:
    return record.last_used_at is None or now - record.last_used_at > LAST_USED_RESOLUTION


def mark_used(session: Session, key_pk: int, now: datetime) -> None:
    """Best effort: a busy database must not turn a valid key into a failed request."""
    try:
        with writing(session):
            statement = update(ApiKey).where(col(ApiKey.id) == key_pk).values(last_used_at=now)
            session.execute(statement)
    except OperationalError:
        log.warning("could not record the last use of key %s", key_pk)


async def authenticate(rows: RowReader, session: Session, plaintext: str) -> Principal:
    """Who holds this key; `session` only records its use."""
    row = await rows.row(KEY_RECORD, {"key_id": key_id_of(plaintext)})
    now = utcnow()
    record = checked(plaintext, row, now)
    if _used_long_ago(record, now):
        await run_in_threadpool(mark_used, session, record.pk, now)
    return record.principal


def principal_if_recorded(plaintext: str, row: tuple[Any, ...] | None) -> Principal | None:
    """Who holds this key, given its record (`KEY_COLUMNS`, read by the caller with whatever
    else it reads), when checking it writes nothing (its use was recorded within the last
    minute); None when the app must take the request: a refused key (the 401 and its
    failed-authentication count are the app's) or a use to record."""
    now = utcnow()
    try:
        record = checked(plaintext, row, now)
    except UnauthorizedError:
        return None
    return None if _used_long_ago(record, now) else record.principal


def authenticate_in(session: Session, plaintext: str) -> Principal:
    """The same from sync code, through the session."""
    row = session.execute(text(KEY_RECORD), {"key_id": key_id_of(plaintext)}).first()
    now = utcnow()
    record = checked(plaintext, None if row is None else tuple(row), now)
    if _used_long_ago(record, now):
        mark_used(session, record.pk, now)
    return record.principal


@dataclass(frozen=True)
class Moment:
    """What one statement read at one moment for an answer made before routing: the change
    clock, the answer's own columns, and the caller's key record (None without a key id, or
    when no key has it)."""

    clock: int
    columns: tuple[Any, ...]
    key: tuple[Any, ...] | None


async def read_moment(
    rows: RowReader,
    *,
    public: bool,
    key_id: str | None,
    columns: str,
    joins: str = "",
    params: dict[str, Any] | None = None,
) -> Moment:
    """The clock (public or whole), `columns` (through `joins`, which may use `params`) and the
    key record of `key_id`, in one statement: one round trip where three were made apart."""
    clock = PUBLIC_CLOCK_COLUMN if public else CLOCK_COLUMN
    keyed = key_id is not None
    sql = (
        f"SELECT change_clock.{clock}, {columns}"  # noqa: S608 - the callers' constants
        + (f", {KEY_COLUMNS}" if keyed else "")
        + f" FROM change_clock {joins}"
        + (" LEFT JOIN api_key ON api_key.key_id = :key_id" if keyed else "")
        + " WHERE change_clock.id = 1"
    )
    found = await rows.row(sql, (params or {}) | ({"key_id": key_id} if keyed else {}))
    if found is None:
        raise UnavailableError("no clock row: is the schema migrated?")
    width = len(found) - (len(KEY_COLUMNS.split(",")) if keyed else 0)
    key = found[width:] if keyed and found[width] is not None else None
    return Moment(int(found[0]), tuple(found[1:width]), key)
