"""Builds the ASGI app: `uvicorn app.main:app`."""

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from anyio import to_thread
from fastapi import APIRouter, Depends, FastAPI

from app.api_docs.router import install_docs
from app.api_index.router import router as index_router
from app.audit.router import router as audit_router
from app.changes.clock import ClockReader
from app.changes.router import router as changes_router
from app.companies.router import router as companies_router
from app.core.config import get_settings
from app.core.rows import ROWS_STATE
from app.cycles.router import router as cycles_router
from app.endorsements.router import router as endorsements_router
from app.endorsements.schemas import ENDORSEMENT_NOTICE
from app.engines.base import RowReader
from app.exports.router import router as exports_router
from app.health.router import router as health_router
from app.http import stack
from app.http.conditional import conditional_get
from app.keys.router import router as keys_router
from app.log.router import router as log_router
from app.milestones.router import router as milestones_router
from app.openapi import TAGS, complete_openapi, operation_id
from app.pages.router import install_pages
from app.principles.router import router as principles_router
from app.ratelimit.limiter import RateLimiter
from app.reviews.router import router as reviews_router
from app.search.router import router as search_router
from app.stats.router import router as stats_router
from app.updates.router import router as updates_router

DESCRIPTION = f"""
The registry of the Voluntary Principles to Counter Online Child Sexual Exploitation and Abuse:
the principles, the companies that endorsed them with the source of every endorsement, and the
implementation updates companies submit.

**{ENDORSEMENT_NOTICE}**

Every error is `application/problem+json` (RFC 9457).
"""
API_ROUTERS = (
    index_router,
    principles_router,
    companies_router,
    endorsements_router,
    milestones_router,
    updates_router,
    reviews_router,
    cycles_router,
    changes_router,
    stats_router,
    search_router,
    exports_router,
    keys_router,
    audit_router,
    log_router,
)


# Allocations before a young pass; young passes per middle one; middle passes per full one.
GC_THRESHOLDS = (20_000, 50, 100)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    # Sync routes run in threads; never run more than the connection pool can serve.
    to_thread.current_default_thread_limiter().total_tokens = get_settings().thread_limit
    # What start-up made (modules, metadata, models, OpenAPI) lives as long as the process: kept
    # out of the collector's full passes, which under load each paused the loop ~100 ms every few
    # seconds. Measured with wrk on cached answers (PostgreSQL, 100k companies): p99 97 -> 6 ms.
    gc.freeze()
    # A request allocates hundreds of containers (models, rows, a page's template context),
    # so the default of a young-generation pass every 700 made a pass every request or two.
    # Measured with wrk on cold URLs (SQLite, 100k companies): +10-15% requests/s on company
    # detail, list and pages; what is not cyclic is freed at once whatever the threshold.
    gc.set_threshold(*GC_THRESHOLDS)
    yield
    # Their connections belong to this event loop.
    for resource in ("clock", "rate_limiter", ROWS_STATE):
        closable: ClockReader | RateLimiter | RowReader | None = getattr(app.state, resource, None)
        if closable is not None:
            await closable.aclose()


def create_app(
    clock: ClockReader | None = None, rate_limiter: RateLimiter | None = None
) -> FastAPI:
    """The app; `clock` overrides where the response cache reads the data version, and
    `rate_limiter` the limits of the settings."""
    settings = get_settings()
    app = FastAPI(
        title="VP Registry",
        version="1.0.0",
        description=DESCRIPTION,
        openapi_tags=TAGS,
        generate_unique_id_function=operation_id,
        contact={"name": "VP Registry maintainers"},
        lifespan=lifespan,
        dependencies=stack.APP_DEPENDENCIES,
        # Starlette answered `/companies/` with a redirect to an absolute URL built from the
        # request's Host header (a client could make it point anywhere): one URL per resource.
        redirect_slashes=False,
        # Metrics are Prometheus' (app/http/context.py); FastAPI's native OpenTelemetry would only
        # ask, on every request, whether a provider was configured (~4% of a cold list's time).
        telemetry={"tracing": False, "metrics": False, "logs": False},
        docs_url=None,  # served from the app's own assets (app/api_docs)
        redoc_url=None,
    )
    stack.install(app, settings, clock, rate_limiter)
    app.openapi = complete_openapi(app)  # type: ignore[method-assign]
    # Every API GET answers with an ETag and 304s when nothing changed; /healthz and /readyz
    # always do their check.
    api = APIRouter(dependencies=[Depends(conditional_get)])
    for router in API_ROUTERS:
        api.include_router(router)
    app.include_router(api)
    app.include_router(health_router)
    install_docs(app)
    install_pages(app)
    return app


app = create_app()
