"""Who is calling, and what each caller may see and do: every access rule of the registry.

Identity comes from the API key alone (`keys/dependencies.py` resolves it once per request);
services, queries, the change feed and the HTTP layer all take their rules from here.

- anonymous and ngo keys read published data only;
- a company key also reads its own drafts, restricted entries and review threads, and writes its
  own updates and answers;
- a government key reads restricted entries and review threads (only its own government's
  reviews when VPR_REVIEWS_SHARED_BETWEEN_GOVERNMENTS=false), opens reporting cycles, reviews;
- an admin key reads everything but companies' drafts, and curates companies, endorsements,
  keys and reporting cycles.
"""

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import ColumnElement, or_, true
from sqlmodel import col

from app.audit.models import Audience, AuditRecord
from app.core.config import get_settings
from app.core.errors import ForbiddenError, UnauthorizedError
from app.keys.models import Role
from app.updates.models import ImplementationUpdate, UpdateEntry, UpdateState, Visibility

# Who may call which kind of route (deny by default: a route names its set).
CURATORS = frozenset({Role.ADMIN})
REPORTERS = frozenset({Role.COMPANY})
REVIEWERS = frozenset({Role.GOVERNMENT})
CYCLE_OPENERS = frozenset({Role.GOVERNMENT, Role.ADMIN})
THREAD_READERS = frozenset({Role.GOVERNMENT, Role.ADMIN, Role.COMPANY})
ANY_KEY = frozenset(Role)


@dataclass(frozen=True)
class Principal:
    role: Role | None = None  # None: no key, published data only
    key_pk: int | None = None
    key_id: str | None = None
    company_id: int | None = None
    government: str | None = None

    @property
    def sees_restricted(self) -> bool:
        return self.role in {Role.ADMIN, Role.GOVERNMENT}

    @property
    def actor(self) -> str:
        return self.key_id or "anonymous"

    def owns(self, company_id: int | None) -> bool:
        """The caller is the company's own key."""
        return self.role is Role.COMPANY and company_id == self.company_id


ANONYMOUS = Principal()
PUBLIC_SCOPE = "public"


def require_role(principal: Principal, roles: Collection[Role]) -> Principal:
    """401 without a key, 403 with a key of another role."""
    if principal.role is None:
        raise UnauthorizedError(
            "This needs an API key.", headers=UnauthorizedError.MISSING_KEY_HEADERS
        )
    if principal.role not in roles:
        raise ForbiddenError(f"A {principal.role} key may not do this.")
    return principal


def representation_scope(principal: Principal) -> str:
    """Who an answer is made for: callers in one scope are shown the same bytes."""
    if principal.role is Role.GOVERNMENT:
        return "restricted"
    if principal.role is Role.ADMIN:
        return "admin"
    if principal.role is Role.COMPANY:
        return f"company{principal.company_id}"
    return PUBLIC_SCOPE


def update_visible(principal: Principal) -> ColumnElement[bool]:
    """Submitted updates are published; a company also sees its own drafts."""
    submitted = col(ImplementationUpdate.state) == UpdateState.SUBMITTED
    if principal.role is Role.COMPANY:
        return or_(submitted, col(ImplementationUpdate.company_id) == principal.company_id)
    return submitted


def entry_visible(principal: Principal) -> ColumnElement[bool]:
    """Restricted entries: governments, administrators and the owning company only."""
    if principal.sees_restricted:
        return true()
    public = col(UpdateEntry.visibility) == Visibility.PUBLIC
    if principal.role is Role.COMPANY:
        return or_(public, col(ImplementationUpdate.company_id) == principal.company_id)
    return public


# The owner copying its own update (an amendment) takes every entry, restricted ones included.
EVERY_ENTRY: ColumnElement[bool] = true()


def change_visible(principal: Principal) -> ColumnElement[bool]:
    """Which changes the caller may learn about: the same rules as the resources themselves."""
    audience = col(AuditRecord.audience)
    seen = [audience == Audience.PUBLIC]
    if principal.sees_restricted:
        seen.append(audience == Audience.RESTRICTED)
    if principal.role is Role.ADMIN:
        seen.append(audience == Audience.ADMIN)
    if principal.role is Role.COMPANY:
        owned = col(AuditRecord.owner_company_id) == principal.company_id
        seen.append(owned & audience.in_([Audience.OWNER, Audience.RESTRICTED]))
    return or_(*seen)


def reviewing_government_only(principal: Principal) -> str | None:
    """The government whose reviews alone the caller reads in a thread, when governments do not
    share them (VPR_REVIEWS_SHARED_BETWEEN_GOVERNMENTS=false); None: every review."""
    if principal.role is Role.GOVERNMENT and not get_settings().reviews_shared_between_governments:
        return principal.government
    return None


def public_changes_only(principal: Principal) -> bool:
    """The caller learns of public changes alone: its feed numbers them among themselves, so
    that no gap tells it how many private changes (drafts, reviews, keys) came between."""
    return not principal.sees_restricted and principal.role is not Role.COMPANY


def update_audience(submitted: bool) -> Audience:
    """Who learns of a change to an update: everyone once submitted, the company for drafts."""
    return Audience.PUBLIC if submitted else Audience.OWNER
