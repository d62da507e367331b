"""Idempotency-Key for company submissions: a retry gets the first answer, never a second row.

The key is unique per company in the database, so concurrent retries cannot both write: the
loser's transaction fails on the unique constraint, rolls back, and replays the winner's answer.
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Header
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app.core.db import writing
from app.core.errors import InvalidRequestError
from app.updates.models import IdempotencyRecord

IdempotencyKeyHeader = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        title="Idempotency key",
        description="Any unique string per submission; a retry with the same key and body gets "
        "the first response, with a different body a 422.",
        min_length=1,
        max_length=200,
    ),
]


@dataclass(frozen=True)
class Outcome:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)

    def response(self) -> JSONResponse:
        return JSONResponse(self.body, status_code=self.status, headers=self.headers)


def _digest(payload: Any) -> str:
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _find(session: Session, company_id: int, key: str) -> IdempotencyRecord | None:
    statement = select(IdempotencyRecord).where(
        IdempotencyRecord.company_id == company_id, IdempotencyRecord.key == key
    )
    return session.exec(statement).first()


def _replay(record: IdempotencyRecord, digest: str) -> Outcome:
    if record.request_digest != digest:
        raise InvalidRequestError(
            "This Idempotency-Key was used with a different request body; use a new key."
        )
    return Outcome(record.response_status, record.response_body, record.response_headers)


def run_once(
    session: Session,
    company_id: int,
    key: str | None,
    payload: Any,
    write: Callable[[], Outcome],
) -> Outcome:
    """Run `write` in one transaction with the key's record, or replay the recorded answer."""
    if key is None:
        with writing(session):
            return write()
    digest = _digest(payload)
    try:
        with writing(session):
            existing = _find(session, company_id, key)
            if existing is not None:
                return _replay(existing, digest)
            outcome = write()
            session.add(
                IdempotencyRecord(
                    company_id=company_id,
                    key=key,
                    request_digest=digest,
                    response_status=outcome.status,
                    response_body=outcome.body,
                    response_headers=outcome.headers,
                )
            )
    except IntegrityError:
        winner = _find(session, company_id, key)  # a concurrent retry committed first
        if winner is None:
            raise
        return _replay(winner, digest)
    return outcome
