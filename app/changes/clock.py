"""The change clock: advanced by every write (see models.py for why it gives commit order), read
by every GET to say which data version an answer was made at.

This module owns the clock's SQL. Sync code reads it through its session; async code (the
response cache) through its engine's cheap scalar reader.
"""

from enum import StrEnum

from sqlalchemy import Connection, text, update
from sqlmodel import Session, col

from app import engines
from app.changes.models import ChangeClock
from app.engines.base import RowReader, ScalarReader, UnavailableError

CLOCK_COLUMN, PUBLIC_CLOCK_COLUMN = "value", "public_value"  # every change; public changes
CLOCK_QUERY = "SELECT value FROM change_clock WHERE id = 1"
PUBLIC_CLOCK_QUERY = "SELECT public_value FROM change_clock WHERE id = 1"


class ClockUnavailableError(UnavailableError):
    """The clock could not be read (the database is down or not migrated)."""


def advance(session: Session, *, public: bool = True) -> int:
    """The next sequence number; the clock row stays locked until this transaction ends.
    `public`: everyone may see the change, so public answers change with it."""
    statement = (
        update(ChangeClock)
        .where(col(ChangeClock.id) == 1)
        .values(
            value=col(ChangeClock.value) + 1,
            public_value=col(ChangeClock.public_value) + (1 if public else 0),
        )
        .returning(col(ChangeClock.value))
    )
    return int(session.execute(statement).scalar_one())


class ListOrder(StrEnum):
    """The lists whose order a counter on the clock row names (app/core/anchors.py)."""

    COMPANIES = "company_order"  # company_status rewritten (app/endorsements/status.py)
    UPDATES = "update_order"  # update documents stored (app/updates/documents.py)

    @property
    def query(self) -> str:
        """The order's state read alone: the database's epoch and the counter."""
        return f"SELECT epoch, {self.value} FROM change_clock WHERE id = 1"  # noqa: S608

    @property
    def columns(self) -> str:
        """The same as columns of a `read_moment` statement."""
        return f"change_clock.epoch, change_clock.{self.value}"


def move_order(bind: Session | Connection, order: ListOrder) -> None:
    """Say that a list's order may have changed, in the transaction that changed it: positions
    known in the old order stop being used."""
    counter = getattr(ChangeClock, order.value)
    bind.execute(update(ChangeClock).where(col(ChangeClock.id) == 1).values({counter: counter + 1}))


def current(session: Session, *, public: bool) -> int:
    """The version of public answers (`public`), or of every answer."""
    return int(session.execute(text(PUBLIC_CLOCK_QUERY if public else CLOCK_QUERY)).scalar_one())


async def read_current(rows: RowReader, *, public: bool) -> int:
    """The same from async code, through the request's row reader."""
    found = await rows.row(PUBLIC_CLOCK_QUERY if public else CLOCK_QUERY)
    if found is None:
        raise ClockUnavailableError("no clock row: is the schema migrated?")
    return int(found[0])


def public_state(session: Session) -> tuple[int, str]:
    """The public version and the database's epoch: together they name one public state."""
    row = session.execute(text("SELECT public_value, epoch FROM change_clock WHERE id = 1")).one()
    return int(row[0]), str(row[1])


# Anything that reads the clock's current value from async code.
ClockReader = ScalarReader


def clock_for(database_url: str) -> ClockReader:
    """The async public clock of this database (what the response cache, which serves only
    public answers, needs), read as cheaply as its engine allows."""
    return engines.for_url(database_url).scalar_reader(database_url, PUBLIC_CLOCK_QUERY)
