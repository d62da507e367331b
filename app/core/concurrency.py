"""Optimistic concurrency: ETags from row versions, If-Match required to change a resource."""

from typing import Annotated

from fastapi import Header

from app.core.errors import PreconditionFailedError, PreconditionRequiredError

IfMatchHeader = Annotated[
    str | None,
    Header(
        alias="If-Match",
        title="If-Match",
        description="The ETag from your last GET of this resource; required to change it.",
        max_length=200,
    ),
]


def etag_for(kind: str, row_id: int | None, version: int) -> str:
    return f'"{kind}-{row_id}-v{version}"'


def require_if_match(if_match: str | None, current: str) -> None:
    """428 without If-Match, 412 when it names another state than the current one."""
    if if_match is None:
        raise PreconditionRequiredError(
            "Send If-Match with the ETag of your last GET, so that no change is lost."
        )
    offered = {tag.strip().removeprefix("W/") for tag in if_match.split(",")}
    if "*" not in offered and current not in offered:
        raise PreconditionFailedError(
            "The resource changed since you read it: GET it again, then retry."
        )
