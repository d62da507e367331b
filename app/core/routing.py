"""Pieces every router uses: the API prefix and shared parameter types."""

from typing import Annotated

from fastapi import Query

API_PREFIX = "/api/v1"


def company_url(slug: str) -> str:
    """A company's permalink: in bodies, the change feed and the audit trail alike."""
    return f"{API_PREFIX}/companies/{slug}"


VersionQuery = Annotated[
    str | None,
    Query(
        title="Framework version",
        description='Code of a framework version, e.g. "2020". Default: the current version.',
        min_length=1,
        max_length=20,
        pattern=r"^[A-Za-z0-9._-]+$",
    ),
]
