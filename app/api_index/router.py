"""`GET /api/v1`: where every resource is (`GET /` is the home page, app/pages)."""

from datetime import date

from fastapi import APIRouter
from sqlalchemy import select
from sqlmodel import col

from app.api_index.schemas import (
    STATED_ENDORSERS,
    STATED_ON,
    ApiIndexRead,
    CoverageNoticeRead,
    LicenceRead,
    StatementCoverageRead,
)
from app.core.db import SessionDep
from app.core.urls import API_PREFIX
from app.endorsements.queries import endorsing_count, endorsing_since_by
from app.endorsements.schemas import ENDORSEMENT_NOTICE
from app.exports.documents import DocumentName
from app.exports.package import ATTRIBUTION, LICENSE
from app.principles.models import FrameworkVersion

router = APIRouter(tags=["index"])

RESOURCES = {
    "framework_versions": "/framework-versions",
    "themes": "/themes",
    "principles": "/principles",
    "companies": "/companies",
    "endorsements": "/endorsements",
    "milestones": "/milestones",
    "updates": "/updates",
    "reporting_cycles": "/reporting-cycles",
    "changes": "/changes",
    "search": "/search?q={words}",
    "stats_endorsements_over_time": "/stats/endorsements-over-time",
    "stats_coverage": "/stats/coverage",
    "stats_adoption": "/stats/adoption",
    "stats_compliance": "/stats/compliance",
    "stats_breakdown": "/stats/breakdown",
}
EXPORTS = {
    "data_package": "/exports/datapackage.json",
    **{f"{name.value}_ndjson": f"/exports/{name.value}.ndjson" for name in DocumentName},
}


STATED_DAY = date.fromisoformat(STATED_ON)


@router.get(API_PREFIX, summary="Where to start: every resource, the docs, and the coverage")
def api_index(session: SessionDep) -> ApiIndexRead:
    """Links to every collection, the documentation, the exports with their licence, and what the
    registry holds (coverage): the one URL a client needs to know."""
    versions = session.execute(
        select(col(FrameworkVersion.code)).order_by(col(FrameworkVersion.published_on).desc())
    ).scalars()
    return ApiIndexRead(
        name="VP Registry: the Voluntary Principles to Counter Online Child Sexual Exploitation "
        "and Abuse, their endorsers and implementation updates",
        notice=ENDORSEMENT_NOTICE,
        coverage=CoverageNoticeRead.of(recorded := endorsing_count(session)),
        coverage_at_statement=StatementCoverageRead(
            stated_on=STATED_ON,
            endorsers_stated=STATED_ENDORSERS,
            recorded_by_then=(by_then := endorsing_since_by(session, STATED_DAY)),
            recorded_after_or_undated=recorded - by_then,
        ),
        framework_versions=list(versions),
        resources={name: f"{API_PREFIX}{path}" for name, path in RESOURCES.items()},
        exports={name: f"{API_PREFIX}{path}" for name, path in EXPORTS.items()},
        data_licence=LicenceRead(
            name=LICENSE["name"], url=LICENSE["path"], attribution=ATTRIBUTION
        ),
        docs={"openapi": "/openapi.json", "interactive": "/docs"},
    )
