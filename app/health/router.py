"""Liveness and readiness, outside /api/v1, for load balancers and orchestrators."""

import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import SQLAlchemyError

from app.access import require_role
from app.core.config import get_settings
from app.core.db import EngineDep, SessionDep
from app.core.errors import problem_response, problem_responses
from app.core.migrations import current_revision, head_revision
from app.http.context import metrics as prometheus_metrics
from app.keys.dependencies import principal_in
from app.keys.models import Role

router = APIRouter(tags=["operations"])
log = logging.getLogger(__name__)


@router.get("/healthz", summary="The process is up")
def healthz() -> dict[str, str]:
    """Liveness: the process answers. Never touches the database, never rate limited."""
    return {"status": "ok"}


@router.get(
    "/readyz",
    summary="The database answers and its schema is at the code's head revision",
    responses=problem_responses(503),
    response_model=dict[str, str],
)
def readyz(request: Request, engine: EngineDep) -> JSONResponse | dict[str, str]:
    """Readiness: the database answers and its schema is at the code's head revision; 503
    otherwise, so a load balancer sends no traffic to an instance that cannot serve."""
    try:
        with engine.connect() as connection:
            revision = current_revision(connection)
    except SQLAlchemyError as exc:
        log.warning("readiness check: database unreachable: %s", exc.__class__.__name__)
        return problem_response(request, 503, "The database is unreachable.", kind="not-ready")
    expected = head_revision()
    if revision != expected:
        detail = f"Schema at revision {revision}, code expects {expected}: run `vpr migrate`."
        return problem_response(request, 503, detail, kind="not-ready")
    return {"status": "ready", "revision": revision or ""}


@router.get(
    "/metrics",
    summary="Request counts and latencies per route, in Prometheus' text format (an "
    "administrator's key, unless VPR_METRICS_PUBLIC=true)",
    response_class=Response,
    responses={
        200: {"content": {"text/plain": {"schema": {"type": "string"}}}},
        **problem_responses(401, 403),
    },
)
def metrics(request: Request, session: SessionDep) -> Response:
    """Prometheus metrics: requests and latencies by route template and status, response cache
    hits and misses. Only for an administrator's key unless VPR_METRICS_PUBLIC=true (per-route
    counts tell what others do: key rotations, reviews)."""
    if not get_settings().metrics_public:
        # Route names, rates and latencies tell an attacker what is used and what is slow.
        require_role(principal_in(request, session), {Role.ADMIN})
    return prometheus_metrics(request)
