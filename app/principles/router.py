"""HTTP routes for framework versions, themes and principles (public, no key needed)."""

from typing import Annotated

from fastapi import APIRouter, Path, Query

from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.core.routing import API_PREFIX, VersionQuery
from app.principles import service
from app.principles.schemas import (
    FrameworkVersionPublic,
    PrinciplePublic,
    ThemePublic,
    ThemeRef,
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


def _principle_public(row: service.PrincipleRow, version: str) -> PrinciplePublic:
    return PrinciplePublic(
        code=row.principle.code,
        framework_version=version,
        title=row.principle.title,
        summary=row.principle.summary,
        source_url=row.principle.source_url,
        position=row.principle.position,
        theme=ThemeRef(code=row.theme.code, title=row.theme.title),
        revises=row.revises,
        url=f"{API_PREFIX}/principles/{row.principle.code}?version={version}",
    )


@router.get("/framework-versions", summary="Versions of the principles, newest first")
def list_framework_versions(session: SessionDep) -> list[FrameworkVersionPublic]:
    return [
        FrameworkVersionPublic(
            code=v.code,
            title=v.title,
            published_on=v.published_on,
            source_url=v.source_url,
            current=index == 0,
        )
        for index, v in enumerate(service.list_versions(session))
    ]


@router.get(
    "/themes",
    summary="The themes of a framework version, in order",
    responses=problem_responses(404),
)
def list_themes(session: SessionDep, version: VersionQuery = None) -> list[ThemePublic]:
    framework = service.resolve_version(session, version)
    return [
        ThemePublic(
            code=theme.code,
            title=theme.title,
            framework_version=framework.code,
            position=theme.position,
            principles=codes,
        )
        for theme, codes in service.list_themes(session, framework)
    ]


@router.get(
    "/principles",
    summary="The principles of a framework version, in order",
    responses=problem_responses(404),
)
def list_principles(
    session: SessionDep, version: VersionQuery = None, theme: ThemeCode = None
) -> list[PrinciplePublic]:
    framework = service.resolve_version(session, version)
    rows = service.list_principles(session, framework, theme_code=theme)
    return [_principle_public(row, framework.code) for row in rows]


@router.get(
    "/principles/{code}",
    summary="One principle: our summary, its theme and the official source",
    responses=problem_responses(404),
)
def get_principle(
    session: SessionDep, code: PrincipleCode, version: VersionQuery = None
) -> PrinciplePublic:
    framework = service.resolve_version(session, version)
    return _principle_public(service.get_principle(session, framework, code), framework.code)
