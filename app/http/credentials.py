"""Where a key may travel: only in the Authorization header, never in a URL."""

from collections.abc import Iterable

from fastapi import Request

from app.core.errors import DomainError
from app.core.security import holds_key_shape

KEY_QUERY_NAMES = frozenset({"api_key", "apikey", "key", "token", "access_token"})


def carries_a_key(parameters: Iterable[tuple[str, str]]) -> bool:
    """A parameter named like a key, or a key's shape in any name or value (`?q=vpr_...`)."""
    return any(
        name in KEY_QUERY_NAMES or holds_key_shape(name) or holds_key_shape(value)
        for name, value in parameters
    )


async def reject_keys_in_query(request: Request) -> None:
    """Keys in URLs end up in logs and histories: refuse them outright (async: no I/O, so no
    worker thread is taken for it)."""
    if carries_a_key(request.query_params.multi_items()):
        raise DomainError("API keys are accepted only in the Authorization header.")
