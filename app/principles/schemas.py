"""API models for framework versions, themes and principles."""

from datetime import date
from typing import TYPE_CHECKING

from pydantic import Field

from app.core.schemas import PublicModel
from app.core.urls import principle_url
from app.principles.models import FrameworkVersion, Theme

if TYPE_CHECKING:
    from app.principles.service import PrincipleRow


class FrameworkVersionRead(PublicModel):
    code: str = Field(description='Version code, e.g. "2020".')
    title: str
    published_on: date
    source_url: str
    current: bool = Field(description="True for the newest version: the default everywhere.")

    @classmethod
    def of(cls, version: FrameworkVersion, *, current: bool) -> "FrameworkVersionRead":
        return cls(
            code=version.code,
            title=version.title,
            published_on=version.published_on,
            source_url=version.source_url,
            current=current,
        )


class ThemeRefRead(PublicModel):
    code: str
    title: str


class ThemeRead(ThemeRefRead):
    framework_version: str
    position: int
    principles: list[str] = Field(description="Codes of the principles under this theme.")

    @classmethod
    def of(cls, theme: Theme, principles: list[str], version: str) -> "ThemeRead":
        return cls(
            code=theme.code,
            title=theme.title,
            framework_version=version,
            position=theme.position,
            principles=principles,
        )


class PrincipleRead(PublicModel):
    code: str = Field(description="Stable code, e.g. VP-01.")
    framework_version: str
    title: str
    summary: str = Field(
        description="A summary in the registry's own words, not the official wording. Every "
        'principle is a best-efforts commitment: the official text begins "Companies seek '
        'to ...".'
    )
    official_text: str | None = Field(
        description="The official wording, verbatim, as the framework version's source "
        "(gov.uk's overview) states it; null where the registry has not recorded it yet (read "
        "it at source_url)."
    )
    source_url: str
    position: int
    theme: ThemeRefRead
    revises: str | None = Field(
        default=None, description="Code of the earlier version's principle this one revises."
    )
    url: str

    @classmethod
    def of(cls, row: "PrincipleRow", version: str) -> "PrincipleRead":
        principle = row.principle
        return cls(
            code=principle.code,
            framework_version=version,
            title=principle.title,
            summary=principle.summary,
            official_text=principle.official_text,
            source_url=principle.source_url,
            position=principle.position,
            theme=ThemeRefRead(code=row.theme.code, title=row.theme.title),
            revises=row.revises,
            url=principle_url(principle.code, version),
        )
