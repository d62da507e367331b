"""Assembles the HTTP layer around the app, in the order the package docstring gives."""

from fastapi import Depends, FastAPI

from app import engines
from app.changes.clock import ClockReader, clock_for
from app.core.config import Settings
from app.core.rows import ROWS_STATE
from app.http.admission import Admission
from app.http.body_guard import BodyGuard
from app.http.compression import Compression
from app.http.conditional import NotModifiedError, not_modified
from app.http.context import RequestContext
from app.http.credentials import reject_keys_in_query
from app.http.cross_origin import CrossOrigin
from app.http.error_handlers import UnhandledErrors, install_error_handlers
from app.http.head import HeadAsGet
from app.http.query_names import reject_unknown_query_names
from app.http.rate_limit import RateLimit
from app.http.response_cache import ResponseCache
from app.http.slow_readers import SlowReaders
from app.http.stored_documents import StoredDocuments
from app.ratelimit.limiter import RateLimiter

APP_DEPENDENCIES = [Depends(reject_keys_in_query), Depends(reject_unknown_query_names)]


def install(
    app: FastAPI,
    settings: Settings,
    clock: ClockReader | None = None,
    rate_limiter: RateLimiter | None = None,
) -> None:
    """Middleware is added innermost first: each `add_middleware` wraps the ones before it."""
    setattr(
        app.state,
        ROWS_STATE,
        engines.for_url(settings.database_url).row_reader(settings.database_url),
    )
    app.add_middleware(UnhandledErrors)  # a 500 passes every layer below, as any answer does
    # Innermost: cached answers and refusals never wait for a database slot.
    app.add_middleware(
        Admission, capacity=settings.thread_limit, timeout_s=settings.db_pool_timeout_s
    )
    # Outside Admission: a body is read whole (or refused) before the request takes a slot.
    app.add_middleware(
        BodyGuard, max_bytes=settings.max_body_bytes, timeout_s=settings.request_body_timeout_s
    )
    if settings.stored_documents:  # needs no connection slot: before Admission
        app.add_middleware(StoredDocuments)
    app.add_middleware(Compression)  # inside the cache, which stores the coded bytes
    if settings.response_cache or clock is not None:
        app.state.clock = clock or clock_for(settings.database_url)
        app.add_middleware(
            ResponseCache, clock=app.state.clock, max_bytes=settings.response_cache_max_bytes
        )
    if settings.rate_limit and rate_limiter is None:
        rate_limiter = RateLimiter.from_settings(settings)
    if rate_limiter is not None:
        app.state.rate_limiter = rate_limiter
        app.add_middleware(RateLimit, limiter=rate_limiter)  # outside the cache: hits count too
    app.add_middleware(CrossOrigin, origins=settings.cors_origins)  # preflights never count
    app.add_middleware(HeadAsGet)  # a HEAD is a GET to every layer inside
    # Every answer, cached or not, gets an id.
    app.add_middleware(RequestContext, routes=app.router.routes)
    app.add_middleware(SlowReaders, timeout_s=settings.send_timeout_s)  # outermost
    install_error_handlers(app)
    app.add_exception_handler(NotModifiedError, not_modified)
