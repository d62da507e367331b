"""Every permalink the API hands out, built in one place: in bodies, headers, the change feed and
the audit trail alike."""

import re
from typing import Any
from urllib.parse import quote, urlencode

API_PREFIX = "/api/v1"
# API resources with a web page at the same path without the prefix (app/pages); others
# (milestones, reviews, keys) have none.
_WITH_PAGES = re.compile(
    r"^/(companies(/[A-Za-z0-9-]+)?|updates/[0-9]+|reporting-cycles/[0-9]+)?(\?.*)?$"
)


PAGE_PATHS = re.compile(
    r"^/(|companies(/[^/]+)?|updates/[0-9]+|principles|coverage|reporting-cycles(/[0-9]+)?|data)$"
)


def page_url(api_url: str) -> str | None:
    """The web page showing what this API URL answers (/api/v1/companies/meta ->
    /companies/meta; /api/v1 -> /), or None where there is none."""
    if not api_url.startswith(API_PREFIX):
        return None
    path = api_url.removeprefix(API_PREFIX)
    # Headers carry Latin-1 only: anything else in a query stays percent-encoded.
    return quote(path or "/", safe="/?&=%-._~+") if _WITH_PAGES.match(path) else None


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
