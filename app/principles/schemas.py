"""API models for framework versions, themes and principles."""

from datetime import date

from pydantic import Field

from app.core.schemas import PublicModel


class FrameworkVersionPublic(PublicModel):
    code: str = Field(description='Version code, e.g. "2020".')
    title: str
    published_on: date
    source_url: str
    current: bool = Field(description="True for the newest version: the default everywhere.")


class ThemeRef(PublicModel):
    code: str
    title: str


class ThemePublic(ThemeRef):
    framework_version: str
    position: int
    principles: list[str] = Field(description="Codes of the principles under this theme.")


class PrinciplePublic(PublicModel):
    code: str = Field(description="Stable code, e.g. VP-01.")
    framework_version: str
    title: str
    summary: str = Field(
        description="The registry's own one-line summary, not the official wording: "
        "the official text is at source_url."
    )
    source_url: str
    position: int
    theme: ThemeRef
    revises: str | None = Field(
        default=None, description="Code of the earlier version's principle this one revises."
    )
    url: str
