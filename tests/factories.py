"""Small builders for rows the seed does not have."""

from datetime import date

from sqlmodel import Session, select
from sqlmodel.sql.expression import SelectOfScalar

from app.changes import clock
from app.companies import documents
from app.companies.models import Company, CompanyFormerName, CompanySector
from app.core.dates import stated_interval
from app.core.types import utcnow
from app.endorsements import status as company_status
from app.endorsements.models import EndorsementEvent
from app.principles.models import FrameworkVersion, Principle, Theme
from app.updates import documents as update_documents
from app.updates import published
from app.updates.models import ImplementationUpdate, UpdateEntry

SOURCE = "https://example.org/source"


def render_marked(session: Session) -> None:
    """The documents a commit would render (the arranged rows are never committed)."""
    documents.render_marked(session)
    update_documents.render_marked(session)


def company(
    session: Session,
    slug: str,
    name: str | None = None,
    *,
    country: str | None = "GB",
    former: tuple[str, ...] = (),
    sectors: tuple[str, ...] = (),
) -> Company:
    row = Company(slug=slug, name=name or slug.title(), country=country)
    session.add(row)
    session.flush()
    for former_name in former:
        session.add(CompanyFormerName(company_id=row.id or 0, name=former_name))
    for sector in sectors:
        session.add(CompanySector(company_id=row.id or 0, sector=sector))
    session.flush()
    company_status.refresh(session, row.id or 0)  # as the service keeps the read model
    render_marked(session)  # as its commit would
    clock.advance(session)  # a write, as the service would record it
    return row


def version(session: Session, code: str = "2020") -> FrameworkVersion:
    return session.exec(select(FrameworkVersion).where(FrameworkVersion.code == code)).one()


def event(
    session: Session,
    company: Company,
    kind: str,
    occurred_on: date,
    precision: str = "day",
    *,
    consulted_in_drafting: bool = False,
    source_url: str = SOURCE,
) -> EndorsementEvent:
    framework = version(session)
    first, last = stated_interval(occurred_on, precision)
    row = EndorsementEvent(
        company_id=company.id or 0,
        framework_version_id=framework.id or 0,
        kind=kind,
        occurred_on=first,
        date_precision=precision,
        # Clipped as the service does; a date wholly before it (refused by the service) is kept
        # as stated, as the migration keeps old rows.
        earliest_on=max(first, framework.published_on) if last >= framework.published_on else first,
        latest_on=last,
        source_url=source_url,
        consulted_in_drafting=consulted_in_drafting,
    )
    session.add(row)
    session.flush()
    company_status.refresh(session, company.id or 0)
    render_marked(session)
    clock.advance(session)
    return row


def update(
    session: Session,
    company: Company,
    entries: dict[str, tuple[str, str]],
    *,
    period: tuple[date, date] = (date(2024, 1, 1), date(2024, 12, 31)),
    submitted: bool = True,
    supersedes: ImplementationUpdate | None = None,
) -> ImplementationUpdate:
    """An update with entries {principle code: (status, visibility)}."""
    framework = version(session)
    row = ImplementationUpdate(
        company_id=company.id or 0,
        framework_version_id=framework.id or 0,
        period_start=period[0],
        period_end=period[1],
        state="submitted" if submitted else "draft",
        submitted_at=utcnow() if submitted else None,
        revision=supersedes.revision + 1 if supersedes else 1,
        supersedes_id=supersedes.id if supersedes else None,
    )
    session.add(row)
    session.flush()
    for code, (status, visibility) in entries.items():
        principle = session.exec(
            select(Principle).where(
                Principle.code == code, Principle.framework_version_id == framework.id
            )
        ).one()
        session.add(
            UpdateEntry(
                update_id=row.id or 0,
                framework_version_id=framework.id or 0,
                principle_id=principle.id or 0,
                status=status,
                visibility=visibility,
            )
        )
    session.flush()
    if submitted:
        published.refresh(session, company.id or 0)  # as the service keeps the read model
        render_marked(session)
    clock.advance(session)
    return row


def select_company(slug: str) -> SelectOfScalar[Company]:
    return select(Company).where(Company.slug == slug)


def later_version(session: Session, code: str = "2030") -> tuple[FrameworkVersion, Theme]:
    """A revised framework version with one theme, T1."""
    framework = FrameworkVersion(
        code=code, title="Revised", published_on=date(2030, 1, 1), source_url=SOURCE
    )
    session.add(framework)
    session.flush()
    theme = Theme(framework_version_id=framework.id or 0, code="T1", title="New theme", position=1)
    session.add(theme)
    session.flush()
    render_marked(session)
    return framework, theme


def principle(
    session: Session,
    framework: FrameworkVersion,
    theme_id: int,
    code: str = "VP-01",
    revises: Principle | None = None,
) -> Principle:
    row = Principle(
        framework_version_id=framework.id or 0,
        theme_id=theme_id,
        code=code,
        title="Revised",
        summary="A revised summary.",
        source_url=SOURCE,
        position=1,
        revises_principle_id=revises.id if revises else None,
    )
    session.add(row)
    session.flush()
    render_marked(session)  # every company's detail lists it now
    return row


def entries_of(update: ImplementationUpdate) -> SelectOfScalar[UpdateEntry]:
    return select(UpdateEntry).where(UpdateEntry.update_id == update.id)


def principle_code(session: Session, principle_id: int) -> str:
    return session.exec(select(Principle.code).where(Principle.id == principle_id)).one()
