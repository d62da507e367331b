"""Reporting cycles: a government's call for updates, with a due date and the companies asked."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from app.core.types import UTCDateTime, utcnow


class ReportingCycle(SQLModel, table=True):
    __tablename__ = "reporting_cycle"
    __table_args__ = (
        CheckConstraint("opens_on <= due_on", name="opens_before_due"),
        CheckConstraint("period_start <= period_end", name="period_ordered"),
    )

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=300)
    opens_on: date
    due_on: date = Field(index=True)
    # The reporting period the cycle asks about; an update answers it only if it covers it.
    # Cycles opened before periods were required have none.
    period_start: date | None = None
    period_end: date | None = None
    framework_version_id: int = Field(foreign_key="framework_version.id")
    opened_by: str = Field(max_length=40, description="key id of the government or admin")
    government: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class CycleCompany(SQLModel, table=True):
    __tablename__ = "reporting_cycle_company"

    cycle_id: int = Field(foreign_key="reporting_cycle.id", primary_key=True)
    company_id: int = Field(foreign_key="company.id", primary_key=True, index=True)
