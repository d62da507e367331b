"""Which seed items have been applied, so that a re-run never re-creates or overwrites them."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from app.core.types import UTCDateTime, utcnow


class SeedRecord(SQLModel, table=True):
    __tablename__ = "seed_record"

    key: str = Field(primary_key=True, max_length=200)
    applied_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
