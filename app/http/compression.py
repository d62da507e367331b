"""gzip for answers over ~1 KB (Starlette's GZipMiddleware), inside the response cache: the cache
keys each URL by whether the client takes gzip, so the coded bytes are made once per data
version and stored, not compressed again for every client.

The ETag stays the same for both codings: it names the data version, compared by If-None-Match
and If-Match alike, and the registry serves no byte ranges that a coding could make ambiguous.
Exports are coded once when their file is made (`app/exports/store.py`), not here.
"""

from starlette.middleware.gzip import DEFAULT_EXCLUDED_CONTENT_TYPES, GZipMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

MINIMUM_SIZE = 1024
# Level 6 (zlib's default) compressed a page of 50 companies to within 2% of level 9 at half
# the CPU time.
LEVEL = 6
STORED_CODED = ("text/csv", "application/x-ndjson")  # export files arrive coded or not at all


def accepts_gzip(accept_encoding: str | None) -> bool:
    """Whether the client takes gzip: named with a non-zero weight (RFC 9110 12.5.3)."""
    for coding in (accept_encoding or "").lower().split(","):
        name, _, params = coding.strip().partition(";")
        if name.strip() in {"gzip", "x-gzip"}:
            return params.replace(" ", "") not in {"q=0", "q=0.0", "q=0.00", "q=0.000"}
    return False


class Compression(GZipMiddleware):
    def __init__(self, app: ASGIApp) -> None:
        super().__init__(
            app,
            minimum_size=MINIMUM_SIZE,
            compresslevel=LEVEL,
            exclude_content_types=(*DEFAULT_EXCLUDED_CONTENT_TYPES, *STORED_CODED),
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Starlette looks for "gzip" anywhere in the header, "gzip;q=0" (refused) included.
        if scope["type"] == "http" and accepts_gzip(
            dict(scope["headers"]).get(b"accept-encoding", b"").decode("latin-1")
        ):
            await super().__call__(scope, receive, send)
        else:
            await self.app(scope, receive, send)
