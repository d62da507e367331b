"""Framework versions, themes and principles.

Each framework version owns its themes and principles, so a revision of the principles is a new
version beside the old one: nothing reported against the old version is rewritten.
"""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKeyConstraint, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.core.types import UTCDateTime, utcnow


class FrameworkVersion(SQLModel, table=True):
    __tablename__ = "framework_version"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=20, unique=True)
    title: str = Field(max_length=300)
    published_on: date
    source_url: str = Field(max_length=500)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Theme(SQLModel, table=True):
    __tablename__ = "theme"
    __table_args__ = (
        UniqueConstraint("framework_version_id", "code"),
        # Target of principle's composite key: a principle's theme is in the principle's version.
        UniqueConstraint("id", "framework_version_id"),
        CheckConstraint("position >= 1", name="position_positive"),
    )

    id: int | None = Field(default=None, primary_key=True)
    framework_version_id: int = Field(foreign_key="framework_version.id", index=True)
    code: str = Field(max_length=10)
    title: str = Field(max_length=300)
    position: int


class Principle(SQLModel, table=True):
    __tablename__ = "principle"
    __table_args__ = (
        UniqueConstraint("framework_version_id", "code"),
        UniqueConstraint("id", "framework_version_id"),
        ForeignKeyConstraint(
            ["theme_id", "framework_version_id"],
            ["theme.id", "theme.framework_version_id"],
            name="fk_principle_theme_same_version",
        ),
        CheckConstraint("position >= 1", name="position_positive"),
    )

    id: int | None = Field(default=None, primary_key=True)
    framework_version_id: int = Field(foreign_key="framework_version.id", index=True)
    theme_id: int = Field(index=True)
    code: str = Field(max_length=10)
    title: str = Field(max_length=300)
    summary: str = Field(sa_type=Text)
    # The official wording as its source states it; null where the registry has not recorded it.
    official_text: str | None = Field(default=None, sa_type=Text)
    source_url: str = Field(max_length=500)
    position: int
    # The principle of an earlier version that this one revises, when there is one.
    revises_principle_id: int | None = Field(default=None, foreign_key="principle.id")
