"""Loads the registry's initial data, seed/data/*.toml, idempotently.

Each item has a key recorded in `seed_record` when first applied. A re-run skips recorded items,
so it adds nothing twice and never overwrites what an administrator changed afterwards. An item
whose natural key already exists (an administrator created it first) is recorded, not touched.
"""

import hashlib
import tomllib
from collections import Counter
from datetime import date
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel
from sqlmodel import Session, SQLModel, select

from app.audit import service as audit
from app.changes import clock
from app.companies.models import Company, CompanyFormerName, CompanySector
from app.companies.service import record_company_created
from app.core.dates import clipped_interval, stated_interval
from app.core.db import transactional
from app.core.urls import milestone_url
from app.endorsements import status
from app.endorsements.models import EndorsementEvent
from app.endorsements.service import record_event_added
from app.milestones.models import Milestone
from app.milestones.schemas import MilestoneRead
from app.principles.models import FrameworkVersion, Principle, Theme
from app.seeding import corrections, fill
from app.seeding.models import SeedRecord
from app.seeding.schema import (
    CompaniesSeed,
    CompanySeed,
    FrameworkSeed,
    MilestonesSeed,
    VersionSeed,
)

# Read from the checkout, beside app/ (as migrations/ is): the data is not Python code.
DATA_DIR = Path(__file__).resolve().parents[2] / "seed" / "data"
SeedT = TypeVar("SeedT", bound=BaseModel)
RowT = TypeVar("RowT", bound=SQLModel)


def _read(name: str, shape: type[SeedT]) -> SeedT:
    with (DATA_DIR / name).open("rb") as handle:
        return shape.model_validate(tomllib.load(handle))


def _source(name: str) -> str:
    """What made a seeded record: the seed file and the SHA-256 of its bytes."""
    return f"seed {name} sha256:{hashlib.sha256((DATA_DIR / name).read_bytes()).hexdigest()}"


class SeedRun:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.applied = set(session.exec(select(SeedRecord.key)))
        self.inserted: Counter[str] = Counter()
        self.touched: set[int] = set()  # companies whose status must be recomputed
        # What the seed added, to be recorded as every other write is (audit and change feed).
        self.new_companies: list[int] = []
        self.new_events: list[EndorsementEvent] = []
        self.new_milestones: list[Milestone] = []

    def _claim(self, key: str) -> bool:
        """True the first time a key is seen; records it either way."""
        if key in self.applied:
            return False
        self.applied.add(key)
        self.session.add(SeedRecord(key=key))
        return True

    def _add(self, kind: str, row: RowT) -> RowT:
        self.session.add(row)
        self.session.flush()
        self.inserted[kind] += 1
        return row

    def _existing(self, model: type[RowT], **natural_key: object) -> RowT | None:
        statement = select(model).filter_by(**natural_key)
        return self.session.exec(statement).first()

    def framework(self, version: VersionSeed) -> None:
        row = self._existing(FrameworkVersion, code=version.code)
        if self._claim(f"framework_version:{version.code}") and row is None:
            row = self._add(
                "framework_versions",
                FrameworkVersion(
                    code=version.code,
                    title=version.title,
                    published_on=version.published_on,
                    source_url=version.source_url,
                ),
            )
        if row is None:
            return
        position = 0
        for theme_position, theme in enumerate(version.themes, start=1):
            theme_row = self._existing(Theme, framework_version_id=row.id, code=theme.code)
            if self._claim(f"theme:{version.code}:{theme.code}") and theme_row is None:
                theme_row = self._add(
                    "themes",
                    Theme(
                        framework_version_id=row.id or 0,
                        code=theme.code,
                        title=theme.title,
                        position=theme_position,
                    ),
                )
            elif theme_row is not None and corrections.correct_theme(
                self.session, theme_row, theme, version.code, _source("framework.toml")
            ):
                self.inserted["framework_corrections"] += 1
            for principle in theme.principles:
                position += 1
                key = f"principle:{version.code}:{principle.code}"
                exists = self._existing(Principle, framework_version_id=row.id, code=principle.code)
                if self._claim(key) and exists is None and theme_row is not None:
                    self._add(
                        "principles",
                        Principle(
                            framework_version_id=row.id or 0,
                            theme_id=theme_row.id or 0,
                            code=principle.code,
                            title=principle.title,
                            summary=principle.summary,
                            official_text=principle.official_text,
                            source_url=version.principle_source_url,
                            position=position,
                        ),
                    )
                elif exists is not None and corrections.correct_principle(
                    self.session, exists, principle, version.code, _source("framework.toml")
                ):
                    self.inserted["framework_corrections"] += 1

    def milestones(self, data: MilestonesSeed) -> None:
        for milestone in data.milestones:
            exists = self._existing(Milestone, slug=milestone.slug)
            if self._claim(f"milestone:{milestone.slug}") and exists is None:
                self.new_milestones.append(
                    self._add(
                        "milestones",
                        Milestone(
                            slug=milestone.slug,
                            occurred_on=milestone.occurred_on,
                            date_precision=milestone.precision,
                            title=milestone.title,
                            description=milestone.description,
                            **fill.milestone_source(milestone),
                        ),
                    )
                )
            elif exists is not None:
                request_id = _source("milestones.toml")
                if fill.fill_milestone_source(self.session, exists, milestone, request_id):
                    self.inserted["milestone_sources"] += 1
                if corrections.correct_milestone(self.session, exists, milestone, request_id):
                    self.inserted["milestone_corrections"] += 1

    def company(self, company: CompanySeed) -> None:
        row = self._existing(Company, slug=company.slug)
        if self._claim(f"company:{company.slug}") and row is None:
            row = self._add(
                "companies",
                Company(
                    slug=company.slug,
                    name=company.name,
                    country=company.country,
                    country_note=company.country_note,
                    website=company.website,
                    country_source_url=company.country_source_url,
                    sectors_source_url=company.sectors_source_url,
                ),
            )
            self.new_companies.append(row.id or 0)
            for former in company.former_names:
                names = CompanyFormerName(company_id=row.id or 0, **fill.former_name(former))
                self._add("former_names", names)
            for sector in company.sectors:
                self._add("sectors", CompanySector(company_id=row.id or 0, sector=sector))
        if row is None:
            return
        completed = row.id not in self.new_companies and fill.complete_company(
            self.session, company, _source("companies.toml")
        )
        if completed:
            self.inserted["company_details"] += 1
        if row.id not in self.new_companies:
            request_id = _source("companies.toml")
            if fixed := corrections.correct_endorsements(self.session, company, request_id):
                self.inserted["endorsement_corrections"] += fixed
        self.touched.add(row.id or 0)
        for number, event in enumerate(company.endorsements, start=1):
            if not self._claim(f"endorsement:{company.slug}:{number}"):
                continue
            version = self._existing(FrameworkVersion, code=event.framework_version)
            milestone = self._existing(Milestone, slug=event.milestone) if event.milestone else None
            published = version.published_on if version else date.max
            interval = clipped_interval(
                event.occurred_on, event.precision, published, event.latest_on
            )
            if interval is None:
                raise ValueError(
                    f"{company.slug}: an endorsement on {event.occurred_on} predates the "
                    f"{event.framework_version} principles ({published})"
                )
            self.new_events.append(
                self._add(
                    "endorsement_events",
                    EndorsementEvent(
                        company_id=row.id or 0,
                        framework_version_id=version.id if version and version.id else 0,
                        kind=event.kind,
                        occurred_on=stated_interval(
                            event.occurred_on, event.precision, event.latest_on
                        )[0],
                        date_precision=event.precision,
                        earliest_on=interval[0],
                        latest_on=interval[1],
                        source_url=event.source_url,
                        earliest_source_url=event.earliest_source_url,
                        latest_source_url=event.latest_source_url,
                        date_note=event.date_note,
                        consulted_in_drafting=event.consulted_in_drafting,
                        note=event.note,
                        milestone_id=milestone.id if milestone else None,
                    ),
                )
            )

    def record(self) -> None:
        """Audit records and change-feed entries for what this run added, as any write makes:
        actor `seed`, the seed file and its digest in place of a request id."""
        milestones, companies = _source("milestones.toml"), _source("companies.toml")
        for milestone in self.new_milestones:
            audit.record(
                self.session, actor="seed", action="milestone.created",
                resource_type="milestone", resource_id=milestone.id or 0,
                url=milestone_url(milestone.slug), before=None,
                after=MilestoneRead.of(milestone).model_dump(mode="json"), request_id=milestones,
            )  # fmt: skip
        for company_id in self.new_companies:
            company = self.session.get(Company, company_id)
            assert company is not None  # noqa: S101 - added by this run
            record_company_created(self.session, "seed", company.slug, request_id=companies)
        for event in self.new_events:
            record_event_added(self.session, "seed", event, request_id=companies)


@transactional
def load_seed(session: Session) -> Counter[str]:
    """Apply every seed item not applied before, in one transaction; return what was inserted,
    by kind."""
    run = SeedRun(session)
    for version in _read("framework.toml", FrameworkSeed).versions:
        run.framework(version)
    run.milestones(_read("milestones.toml", MilestonesSeed))
    for company in _read("companies.toml", CompaniesSeed).companies:
        run.company(company)
    if run.inserted:
        session.flush()
        for company_id in sorted(run.touched):
            status.refresh(session, company_id)
        run.record()
        clock.advance(session)  # the data changed: every ETag must change with it
    return run.inserted
