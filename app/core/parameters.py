"""Path and query parameter types that several routers take: one definition, one set of bounds."""

from typing import Annotated

from fastapi import Path, Query

from app.core.dates import DateMatch

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
SLUG_MAX = 80

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

CompanySlugAnyCase = Annotated[
    str,
    Path(
        title="Company slug",
        description="Stable identifier such as meta, in any case; a former name's slug "
        "(facebook) redirects (308) to the current one.",
        min_length=1,
        max_length=SLUG_MAX,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9-]*$",
    ),
]
CompanySlug = Annotated[
    str,
    Path(
        title="Company slug",
        description="Stable identifier such as meta.",
        min_length=1,
        max_length=SLUG_MAX,
        pattern=SLUG_PATTERN,
    ),
]

MilestoneSlug = Annotated[
    str,
    Path(
        title="Milestone slug",
        description="Stable identifier such as launch-washington-2020.",
        min_length=1,
        max_length=SLUG_MAX,
        pattern=SLUG_PATTERN,
    ),
]

UpdateId = Annotated[
    int, Path(title="Update id", description="The update's number.", ge=1, le=2**31 - 1)
]


DateMatchQuery = Annotated[
    DateMatch,
    Query(
        title="Date match",
        description="How date filters read a date known only to its month or year: `certain` "
        "(default) matches when every day it can mean is in the range, `possible` when any is.",
    ),
]
