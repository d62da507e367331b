"""Queries over framework versions, themes and principles."""

from dataclasses import dataclass

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from app.core.errors import NotFoundError
from app.principles.models import FrameworkVersion, Principle, Theme


def list_versions(session: Session) -> list[FrameworkVersion]:
    """Newest first: the first one is the current version."""
    statement = select(FrameworkVersion).order_by(
        col(FrameworkVersion.published_on).desc(), col(FrameworkVersion.id).desc()
    )
    return list(session.exec(statement))


def resolve_version(session: Session, code: str | None) -> FrameworkVersion:
    """The named version, or the current one when no code is given."""
    statement = select(FrameworkVersion)
    if code is None:
        statement = statement.order_by(
            col(FrameworkVersion.published_on).desc(), col(FrameworkVersion.id).desc()
        ).limit(1)
    else:
        statement = statement.where(FrameworkVersion.code == code)
    version = session.exec(statement).first()
    if version is None:
        raise NotFoundError(
            f"No framework version {code!r}." if code else "No framework version yet."
        )
    return version


def list_themes(session: Session, version: FrameworkVersion) -> list[tuple[Theme, list[str]]]:
    statement = (
        select(Theme, Principle.code)
        .outerjoin(Principle, col(Principle.theme_id) == Theme.id)
        .where(Theme.framework_version_id == version.id)
        .order_by(col(Theme.position), col(Principle.position))
    )
    themes: dict[int, tuple[Theme, list[str]]] = {}
    for theme, principle_code in session.exec(statement):
        _, codes = themes.setdefault(theme.id or 0, (theme, []))
        if principle_code is not None:
            codes.append(principle_code)
    return list(themes.values())


@dataclass(frozen=True)
class PrincipleRow:
    principle: Principle
    theme: Theme
    revises: str | None


REVISED = aliased(Principle, name="revised")  # made once: a per-call alias costs every request


def list_principles(
    session: Session,
    version: FrameworkVersion,
    theme_code: str | None = None,
    code: str | None = None,
) -> list[PrincipleRow]:
    revised = REVISED
    statement = (
        select(Principle, Theme, revised.code)
        .join(Theme, col(Theme.id) == Principle.theme_id)
        .outerjoin(revised, col(revised.id) == Principle.revises_principle_id)
        .where(Principle.framework_version_id == version.id)
        .order_by(col(Principle.position))
    )
    if theme_code is not None:
        statement = statement.where(Theme.code == theme_code)
    if code is not None:
        statement = statement.where(Principle.code == code)
    return [PrincipleRow(p, t, r) for p, t, r in session.exec(statement)]


def get_principle(session: Session, version: FrameworkVersion, code: str) -> PrincipleRow:
    rows = list_principles(session, version, code=code)
    if not rows:
        raise NotFoundError(f"No principle {code!r} in framework version {version.code!r}.")
    return rows[0]
