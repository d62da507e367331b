"""Every permalink the API hands out, built in one place: in bodies, headers, the change feed and
the audit trail alike."""

from typing import Any
from urllib.parse import urlencode

API_PREFIX = "/api/v1"


def company_url(slug: str) -> str:
    return f"{API_PREFIX}/companies/{slug}"


def update_url(update_id: int) -> str:
    return f"{API_PREFIX}/updates/{update_id}"


def reviews_url(update_id: int) -> str:
    return f"{update_url(update_id)}/reviews"


def review_url(update_id: int, review_id: int) -> str:
    return f"{reviews_url(update_id)}/{review_id}"


def cycle_url(cycle_id: int) -> str:
    return f"{API_PREFIX}/reporting-cycles/{cycle_id}"


def principle_url(code: str, version: str) -> str:
    return f"{API_PREFIX}/principles/{code}?version={version}"


def milestone_url(slug: str) -> str:
    return f"{API_PREFIX}/milestones/{slug}"


def keys_url() -> str:
    return f"{API_PREFIX}/keys"


def changes_url(since: int, limit: int) -> str:
    return f"{API_PREFIX}/changes?since={since}&limit={limit}"


def audit_url(query: dict[str, Any]) -> str:
    return f"{API_PREFIX}/audit?{urlencode(query)}"
