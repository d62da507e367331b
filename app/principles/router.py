"""HTTP routes for framework versions, themes and principles (public, no key needed)."""

from typing import Annotated

from fastapi import APIRouter, Path, Query

from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.core.parameters import VersionQuery
from app.core.urls import API_PREFIX
from app.principles import service
from app.principles.schemas import (
    FrameworkVersionRead,
    PrincipleRead,
    ThemeRead,
)

router = APIRouter(prefix=API_PREFIX, tags=["principles"], responses=problem_responses(422))

PrincipleCode = Annotated[
    str,
    Path(
        title="Principle code",
        description="Stable code such as VP-01.",
        min_length=1,
        max_length=10,
        pattern=r"^[A-Za-z0-9-]+$",
    ),
]
ThemeCode = Annotated[
    str | None,
    Query(
        title="Theme code",
        description="Only principles under this theme, e.g. T1.",
        min_length=1,
        max_length=10,
        pattern=r"^[A-Za-z0-9-]+$",
    ),
]


@router.get("/framework-versions", summary="Versions of the principles, newest first")
def list_framework_versions(session: SessionDep) -> list[FrameworkVersionRead]:
    """Each version of the Voluntary Principles the registry knows, with its publication date and
    source. Updates and statistics name the version they follow."""
    versions = service.list_versions(session)  # newest first: the first is current
    return [FrameworkVersionRead.of(v, current=i == 0) for i, v in enumerate(versions)]


@router.get(
    "/themes",
    summary="The themes of a framework version, in order",
    responses=problem_responses(404),
)
def list_themes(session: SessionDep, version: VersionQuery = None) -> list[ThemeRead]:
    """The seven themes of the framework version asked for (the current one by default), in the
    official order."""
    framework = service.resolve_version(session, version)
    themes = service.list_themes(session, framework)
    return [ThemeRead.of(theme, codes, framework.code) for theme, codes in themes]


@router.get(
    "/principles",
    summary="The principles of a framework version, in order",
    responses=problem_responses(404),
)
def list_principles(
    session: SessionDep, version: VersionQuery = None, theme: ThemeCode = None
) -> list[PrincipleRead]:
    """The eleven principles of the framework version asked for, in order, each with its theme and
    a link to its official text."""
    framework = service.resolve_version(session, version)
    rows = service.list_principles(session, framework, theme_code=theme)
    return [PrincipleRead.of(row, framework.code) for row in rows]


@router.get(
    "/principles/{code}",
    summary="One principle: our summary, its theme and the official source",
    responses=problem_responses(404),
)
def get_principle(
    session: SessionDep, code: PrincipleCode, version: VersionQuery = None
) -> PrincipleRead:
    """One principle by its code (VP-01 to VP-11): our short summary, its theme and the
    official text it comes from. 404 for a code the version does not have."""
    framework = service.resolve_version(session, version)
    return PrincipleRead.of(service.get_principle(session, framework, code), framework.code)
