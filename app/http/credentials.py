"""Where a key may travel: only in the Authorization header, never in a URL."""

from collections.abc import Iterable

from fastapi import Request

from app.core.errors import DomainError

KEY_QUERY_NAMES = frozenset({"api_key", "apikey", "key", "token", "access_token"})


def names_a_key(parameter_names: Iterable[str]) -> bool:
    return any(name in KEY_QUERY_NAMES for name in parameter_names)


async def reject_keys_in_query(request: Request) -> None:
    """Keys in URLs end up in logs and histories: refuse them outright (async: no I/O, so no
    worker thread is taken for it)."""
    if names_a_key(request.query_params):
        raise DomainError("API keys are accepted only in the Authorization header.")
