"""Imports every table so that the metadata (and Alembic) sees the whole schema."""

from app.companies.models import Company, CompanyFormerName, CompanySector
from app.core.db import metadata
from app.endorsements.models import EndorsementEvent
from app.milestones.models import Milestone
from app.principles.models import FrameworkVersion, Principle, Theme
from app.updates.models import (
    EntryEvidence,
    EntryMeasure,
    EntryMetric,
    ImplementationUpdate,
    UpdateEntry,
)
from seed.models import SeedRecord

__all__ = [
    "Company",
    "CompanyFormerName",
    "CompanySector",
    "EndorsementEvent",
    "EntryEvidence",
    "EntryMeasure",
    "EntryMetric",
    "FrameworkVersion",
    "ImplementationUpdate",
    "Milestone",
    "Principle",
    "SeedRecord",
    "Theme",
    "UpdateEntry",
    "metadata",
]
