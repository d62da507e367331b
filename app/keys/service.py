"""Creating, listing, revoking, rotating and checking API keys."""

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app.audit import service as audit
from app.audit.models import Audience
from app.companies.models import Company
from app.core.db import transactional
from app.core.errors import ConflictError, InvalidRequestError, NotFoundError
from app.core.security import hash_key, new_key
from app.core.types import utcnow
from app.core.urls import keys_url
from app.keys.models import ApiKey, Role

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class KeySpec:
    role: Role
    name: str
    company: str | None = None
    government: str | None = None
    expires_at: datetime | None = None


@dataclass(frozen=True)
class KeyRow:
    key: ApiKey
    company_slug: str | None


@dataclass(frozen=True)
class IssuedKey(KeyRow):
    plaintext: str = field(repr=False)


def _company_id(session: Session, spec: KeySpec) -> int | None:
    if (spec.role is Role.COMPANY) != (spec.company is not None):
        raise InvalidRequestError("A company key names exactly one company; other keys none.")
    if spec.role is Role.GOVERNMENT and not spec.government:
        raise InvalidRequestError("A government key names the government or body it speaks for.")
    if spec.company is None:
        return None
    company = session.exec(select(Company).where(Company.slug == spec.company)).first()
    if company is None:
        raise InvalidRequestError(f"No company with slug {spec.company!r}.")
    return company.id


def _mint(session: Session, like: ApiKey) -> tuple[ApiKey, str]:
    """Add a new key with `like`'s attributes; the plaintext exists only in the return value."""
    fresh = new_key()
    like.key_id = fresh.key_id
    like.secret_hash = hash_key(fresh.plaintext)
    session.add(like)
    session.flush()
    return like, fresh.plaintext


@transactional
def issue_key(session: Session, spec: KeySpec, created_by: str) -> IssuedKey:
    """Create a key; the plaintext is returned here once and never stored."""
    if spec.expires_at is not None and spec.expires_at <= utcnow():
        raise InvalidRequestError("expires_at must be in the future.")
    template = ApiKey(
        key_id="",
        secret_hash="",
        name=spec.name,
        role=spec.role,
        company_id=_company_id(session, spec),
        government=spec.government if spec.role is Role.GOVERNMENT else None,
        expires_at=spec.expires_at,
        created_by=created_by,
    )
    key, plaintext = _mint(session, template)
    _record(session, created_by, "key.created", key)
    return IssuedKey(key, spec.company, plaintext)


def _record(session: Session, actor: str, action: str, key: ApiKey) -> None:
    audit.record(
        session,
        actor=actor,
        action=action,
        resource_type="api_key",
        resource_id=key.id or 0,
        url=keys_url(),
        audience=Audience.ADMIN,
        before=None,
        after=key.model_dump(exclude={"secret_hash"}),
    )


def _with_company() -> SelectOfScalar[Any]:
    return select(ApiKey, Company.slug).outerjoin(Company, col(Company.id) == ApiKey.company_id)  # type: ignore[return-value]


def list_keys(session: Session) -> list[KeyRow]:
    return [KeyRow(*row) for row in session.exec(_with_company().order_by(col(ApiKey.id)))]


def key_row(session: Session, key_id: str) -> KeyRow:
    """The key with its company's slug, or 404."""
    row = session.exec(_with_company().where(ApiKey.key_id == key_id)).first()
    if row is None:
        raise NotFoundError(f"No API key {key_id!r}.")
    return KeyRow(*row)


@transactional
def revoke_key(session: Session, key_id: str, actor: str) -> KeyRow:
    found = key_row(session, key_id)
    key = found.key
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        session.add(key)
        session.flush()
        _record(session, actor, "key.revoked", key)
    return found


@transactional
def rotate_key(session: Session, key_id: str, created_by: str) -> IssuedKey:
    """A new key with the same role and owner; the old one is revoked in the same transaction."""
    found = key_row(session, key_id)
    old = found.key
    if old.revoked_at is not None:
        raise ConflictError(f"Key {key_id!r} is revoked; create a new one instead.")
    template = ApiKey.model_validate(
        old.model_dump(exclude={"id", "created_at", "last_used_at", "revoked_at", "replaced_by_id"})
        | {"created_by": created_by}
    )
    key, plaintext = _mint(session, template)
    old.revoked_at = utcnow()
    old.replaced_by_id = key.id
    session.add(old)
    session.flush()
    _record(session, created_by, "key.rotated", old)
    return IssuedKey(key, found.company_slug, plaintext)


# Actors that are not keys: the command line (an operator on the server) and the seed.
_NAMED_ACTORS = {
    "cli": ("registry administrator", "command line on the server"),
    "seed": ("registry seed", "the registry's initial data"),
}
_ROLE_WORDS = {
    Role.ADMIN: "registry administrator",
    Role.GOVERNMENT: "government",
    Role.NGO: "NGO",
    Role.COMPANY: "company",
}


@dataclass(frozen=True)
class ActorDescription:
    role: str
    organisation: str | None


def describe_actors(session: Session, actors: set[str]) -> dict[str, ActorDescription]:
    """What a reader may learn of who acted: the role and organisation behind each key id (one
    query for all of them), never the key id itself."""
    found = {name: ActorDescription(*_NAMED_ACTORS[name]) for name in actors & _NAMED_ACTORS.keys()}
    key_ids = actors - _NAMED_ACTORS.keys()
    if key_ids:
        statement = (
            select(ApiKey.key_id, ApiKey.role, ApiKey.government, Company.name)
            .outerjoin(Company, col(Company.id) == ApiKey.company_id)
            .where(col(ApiKey.key_id).in_(key_ids))
        )
        for key_id, role, government, company in session.exec(statement):
            found[key_id] = ActorDescription(_ROLE_WORDS[Role(role)], government or company)
    for unknown in actors - found.keys():
        found[unknown] = ActorDescription("unknown", None)
    return found
