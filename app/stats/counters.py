"""Keeping the statistics' counters in step with the history, in the transaction that writes.

`refresh` runs after a write to one company (`app/endorsements/status.py` calls it once the
company's status row is current; `app/updates/published.py` after a submission): it takes back
what the company contributed to each counter and adds what it contributes now. `rebuild`
recomputes every contribution and counter. Both use the same definitions: `_transitions`
(months a company began or stopped endorsing, walking its events in order) and `_memberships`
(its country and sectors, whether it endorses now, and its update tallies).
"""

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, Select, delete, func, insert, literal, text, true, union_all
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from app.companies.models import Company, CompanySector
from app.core.db import moved_counts
from app.endorsements.models import (
    STATUS_AFTER_EVENT,
    CompanyStatus,
    EndorsementEvent,
    EndorsementEventKind,
    EndorsementStatus,
)
from app.endorsements.queries import counting
from app.stats.models import (
    ALL_KEY,
    COUNTRY_ENDORSING,
    STATUS,
    UNKNOWN_KEY,
    UPDATES_CURRENT,
    UPDATES_SUBMITTED,
    StatContribution,
    StatCounter,
)
from app.updates.models import ImplementationUpdate, UpdateState
from app.updates.queries import is_current

Bind = Session | Connection
Share = tuple[str, str]  # (counter, key)
# The same statement on SQLite (3.24+) and PostgreSQL: a counter made or moved in one step.
_ADD = text(
    "INSERT INTO stat_counter (counter, key, amount) VALUES (:counter, :key, :change) "
    "ON CONFLICT (counter, key) DO UPDATE SET amount = stat_counter.amount + excluded.amount"
)


# Per endorsing spell (from an `endorsed` event to the `withdrawn` or `lapsed` event that ends
# it), the months in which it possibly and certainly began and ended: at a month's end a company
# is possibly endorsing once its spell possibly began and until it certainly ended, certainly
# endorsing once its spell certainly began and until it possibly ended.
POSSIBLY_STARTED, CERTAINLY_STARTED = "possibly_started", "certainly_started"
POSSIBLY_STOPPED, CERTAINLY_STOPPED = "possibly_stopped", "certainly_stopped"
Interval = tuple[date, date]


def _spell_months(start: Interval, stop: Interval | None) -> Iterator[tuple[str, date]]:
    yield POSSIBLY_STARTED, start[0]
    if stop is not None:
        yield POSSIBLY_STOPPED, stop[1]
    # Dates too imprecise to tell the spell was certainly under way at some month's end (an
    # endorsement in "2020" withdrawn in "2020-06") count only as possible.
    if stop is None or start[1].strftime("%Y-%m") <= stop[0].strftime("%Y-%m"):
        yield CERTAINLY_STARTED, start[1]
        if stop is not None:
            yield CERTAINLY_STOPPED, stop[0]


def _transitions(bind: Bind, company_id: int | None) -> Iterator[dict[str, Any]]:
    """Per company and month: its endorsing spells' possible and certain starts and ends,
    walking the events that count in order."""
    event = EndorsementEvent
    statement = sa_select(
        col(event.company_id), col(event.kind), col(event.earliest_on), col(event.latest_on)
    ).where(counting())
    if company_id is not None:
        statement = statement.where(col(event.company_id) == company_id)
    rows = bind.execute(
        statement.order_by(col(event.company_id), col(event.earliest_on), col(event.id))
    )
    shares: Counter[tuple[int, str, str]] = Counter()
    spells: dict[int, Interval] = {}  # company -> the start of its open spell

    def count(company: int, start: Interval, stop: Interval | None) -> None:
        for counter, day in _spell_months(start, stop):
            shares[company, counter, day.strftime("%Y-%m")] += 1

    for company, kind, earliest, latest in rows:
        now = STATUS_AFTER_EVENT[EndorsementEventKind(kind)] is EndorsementStatus.ENDORSED
        if now and company not in spells:
            spells[company] = (earliest, latest)
        elif not now and company in spells:
            count(company, spells.pop(company), (earliest, latest))
    for company, start in spells.items():
        count(company, start, None)
    for (company, counter, month), amount in shares.items():
        yield {"company_id": company, "counter": counter, "key": month, "amount": amount}


def _memberships(company_id: int | None) -> Any:
    """Per company: one for its current status (company_status, refreshed first), its country
    and each sector; the same again, `*_endorsing`, while that status is endorsed; and its
    update tallies."""
    endorsing = col(CompanyStatus.status) == EndorsementStatus.ENDORSED.value
    country = func.coalesce(col(Company.country), UNKNOWN_KEY)
    sector = col(CompanySector.sector)

    def member(counter: str, key: Any, source: Any, company: Any, only_endorsing: bool) -> Any:
        statement = sa_select(company, literal(counter), key, literal(1)).select_from(source)
        if only_endorsing:
            statement = statement.join(CompanyStatus, col(CompanyStatus.company_id) == company)
            statement = statement.where(endorsing)
        return statement if company_id is None else statement.where(company == company_id)

    company, sector_company = col(Company.id), col(CompanySector.company_id)
    status_company = col(CompanyStatus.company_id)
    return union_all(
        member(STATUS, col(CompanyStatus.status), CompanyStatus, status_company, False),
        member("country", country, Company, company, False),
        member(COUNTRY_ENDORSING, country, Company, company, True),
        member("sector", sector, CompanySector, sector_company, False),
        member("sector_endorsing", sector, CompanySector, sector_company, True),
        *_tallies(company_id),
    )


def _tallies(company_id: int | None) -> list[Any]:
    """Per company: its submitted updates, and those no submitted amendment replaced (what the
    update list counts for every caller who sees no drafts)."""
    update_company = col(ImplementationUpdate.company_id)
    submitted = col(ImplementationUpdate.state) == UpdateState.SUBMITTED

    def tally(counter: str, *conditions: Any) -> Any:
        statement = sa_select(update_company, literal(counter), literal(ALL_KEY), func.count())
        statement = statement.where(submitted, *conditions).group_by(update_company)
        return statement if company_id is None else statement.where(update_company == company_id)

    return [tally(UPDATES_SUBMITTED), tally(UPDATES_CURRENT, is_current())]


def _replace(bind: Bind, company_id: int | None) -> None:
    rows = true() if company_id is None else col(StatContribution.company_id) == company_id
    bind.execute(delete(StatContribution).where(rows))
    columns = ["company_id", "counter", "key", "amount"]
    bind.execute(insert(StatContribution).from_select(columns, _memberships(company_id)))
    transitions = list(_transitions(bind, company_id))
    if transitions:
        bind.execute(insert(StatContribution), transitions)


def _shares(bind: Bind, company_id: int) -> Counter[Share]:
    rows = bind.execute(
        sa_select(
            col(StatContribution.counter), col(StatContribution.key), col(StatContribution.amount)
        ).where(col(StatContribution.company_id) == company_id)
    )
    return Counter({(counter, key): amount for counter, key, amount in rows})


def refresh(session: Session, company_id: int) -> None:
    """After a write to one company: its contributions, and the counters they moved."""
    moved = moved_counts(
        lambda: _shares(session, company_id), lambda: _replace(session, company_id)
    )
    for (counter, key), amount in sorted(moved.items()):
        session.execute(_ADD, {"counter": counter, "key": key, "change": amount})


def rebuild(bind: Bind) -> None:
    """Every contribution and counter, recomputed from the history."""
    bind.execute(delete(StatCounter))
    _replace(bind, None)
    totals = sa_select(
        col(StatContribution.counter), col(StatContribution.key), func.sum(StatContribution.amount)
    ).group_by(col(StatContribution.counter), col(StatContribution.key))
    bind.execute(insert(StatCounter).from_select(["counter", "key", "amount"], totals))


def counters_statement(names: Sequence[str]) -> Select[str, str, int]:
    """The named counters' rows (counter, key, amount), those whose amount fell to zero left
    out."""
    return sa_select(col(StatCounter.counter), col(StatCounter.key), col(StatCounter.amount)).where(
        col(StatCounter.counter).in_(list(names)), col(StatCounter.amount) > 0
    )


def by_counter(names: Iterable[str], rows: Iterable[Any]) -> dict[str, dict[str, int]]:
    """The counters' rows as counter -> key -> amount (every name present)."""
    found: dict[str, dict[str, int]] = {name: {} for name in names}
    for counter, key, amount in rows:
        found[counter][key] = amount
    return found


def counters(bind: Bind, names: Sequence[str]) -> dict[str, dict[str, int]]:
    """The named counters, key -> amount (keys whose amount fell to zero left out)."""
    return by_counter(names, bind.execute(counters_statement(names)))
