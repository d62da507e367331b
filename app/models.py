"""Imports every table so that the metadata (and Alembic) sees the whole schema."""

from app.audit.models import AuditRecord
from app.changes.models import ChangeClock
from app.companies.models import Company, CompanyFormerName, CompanySector
from app.core.db import metadata
from app.cycles.models import CycleCompany, ReportingCycle
from app.endorsements.models import CompanyStatus, EndorsementEvent
from app.keys.models import ApiKey
from app.milestones.models import Milestone
from app.principles.models import FrameworkVersion, Principle, Theme
from app.ratelimit.models import RateLimitHit
from app.reviews.models import Review, ReviewAnswer
from app.seeding.models import SeedRecord
from app.stats.models import StatContribution, StatCounter
from app.updates.models import (
    EntryEvidence,
    EntryMeasure,
    EntryMetric,
    IdempotencyRecord,
    ImplementationUpdate,
    UpdateEntry,
)

__all__ = [
    "ApiKey",
    "AuditRecord",
    "ChangeClock",
    "Company",
    "CompanyFormerName",
    "CompanySector",
    "CompanyStatus",
    "CycleCompany",
    "EndorsementEvent",
    "EntryEvidence",
    "EntryMeasure",
    "EntryMetric",
    "FrameworkVersion",
    "IdempotencyRecord",
    "ImplementationUpdate",
    "Milestone",
    "Principle",
    "RateLimitHit",
    "ReportingCycle",
    "Review",
    "ReviewAnswer",
    "SeedRecord",
    "StatContribution",
    "StatCounter",
    "Theme",
    "UpdateEntry",
    "metadata",
]
