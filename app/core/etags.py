"""ETags, built and read here only. A tag reads `"<resource version>.<scope>.<data version>"`,
each part optional:

- the resource version (`company-10-v3`, from the row's version) is what If-Match compares, so a
  write is refused (412) only when that resource changed;
- the scope and data version (`public.42`: who the answer was made for, at which change clock)
  are what If-None-Match compares: while the clock has not moved nothing has changed, so any GET
  may answer 304 before doing any work.
"""

from dataclasses import dataclass
from typing import Annotated, Generic, TypeVar

from fastapi import Header

from app.core.errors import PreconditionFailedError, PreconditionRequiredError

T = TypeVar("T")

IfMatchHeader = Annotated[
    str | None,
    Header(
        alias="If-Match",
        title="If-Match",
        description="The ETag from your last GET of this resource; required to change it.",
        max_length=200,
    ),
]


def version_tag(kind: str, row_id: int | None, version: int) -> str:
    return f"{kind}-{row_id}-v{version}"


def data_version(scope: str, clock: int) -> str:
    """What a GET's answer depends on: who it was made for, and the change clock it was read at."""
    return f"{scope}.{clock}"


def etag(*parts: str | None) -> str:
    return '"' + ".".join(part for part in parts if part) + '"'


def offered_tags(header: str) -> list[str]:
    return [tag.strip().removeprefix("W/").strip('"') for tag in header.split(",")]


def require_if_match(if_match: str | None, current: str) -> None:
    """428 without If-Match, 412 when it names another version of the resource."""
    if if_match is None:
        raise PreconditionRequiredError(
            "Send If-Match with the ETag of your last GET, so that no change is lost."
        )
    offered = {tag.split(".")[0] for tag in offered_tags(if_match)}
    if "*" not in offered and current not in offered:
        raise PreconditionFailedError(
            "The resource changed since you read it: GET it again, then retry."
        )


def still_current(if_none_match: str | None, version: str) -> str | None:
    """The tag the client holds that was made at this data version, if any."""
    for tag in offered_tags(if_none_match or ""):
        if tag == version or tag.endswith(f".{version}"):
            return tag
    return None


@dataclass(frozen=True)
class Versioned(Generic[T]):
    """A representation and the version of the resource it shows (its ETag's first part)."""

    body: T
    version: str
