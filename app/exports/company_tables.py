"""Export tables of companies: the companies, their sectors and former names, and every
endorsement event."""

from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import col

from app.companies.models import Company, CompanyFormerName, CompanySector
from app.core.db import AnySelect
from app.endorsements.models import EndorsementEvent, EndorsementRetraction, status_after
from app.endorsements.queries import with_status
from app.exports.columns import (
    BY_COMPANY,
    PRECISION,
    SLUG,
    STATED,
    Column,
    Table,
    TableName,
    partial,
)
from app.milestones.models import Milestone
from app.principles.models import FrameworkVersion


def _companies() -> AnySelect:
    statement, _ = with_status(sa_select(Company))
    return statement.order_by(col(Company.slug))


def _company_row(row: Any) -> list[Any]:
    company, latest, endorsed = row
    return [
        company.slug, company.name, company.country, company.country_note, company.website,
        status_after(latest).value,
        partial(endorsed.occurred_on, endorsed.date_precision, endorsed.latest_on)
        if endorsed
        else None,
        endorsed.date_precision if endorsed else None,
        endorsed.earliest_on if endorsed else None, endorsed.latest_on if endorsed else None,
        endorsed.source_url if endorsed else None,
        bool(endorsed and endorsed.consulted_in_drafting),
    ]  # fmt: skip


COMPANIES = Table(
    TableName.COMPANIES,
    "Companies, with their current endorsement status",
    (
        Column(
            "slug", "string", "Stable identifier; the company's URL is /companies/{slug}.", True
        ),
        Column("name", "string", "Current name.", required=True),
        Column("country", "string", "Headquarters, ISO 3166-1 alpha-2."),
        Column("country_note", "string", "Why no country is recorded, where one is contestable."),
        Column("website", "string", "The company's website."),
        Column("status", "string", "endorsed, withdrawn, lapsed or not_endorsed.", True),
        Column("endorsed_on", "string", f"The latest endorsement. {STATED}"),
        Column("endorsed_on_precision", "string", PRECISION),
        Column("endorsed_earliest", "date", "First day the endorsement date can mean."),
        Column("endorsed_latest", "date", "Last day the endorsement date can mean."),
        Column("endorsement_source_url", "string", "Where the endorsement is stated."),
        Column(
            "consulted_in_drafting",
            "boolean",
            "One of the six companies the governments consulted while drafting the principles.",
        ),
    ),
    ("slug",),
    _companies,
    _company_row,
)

COMPANY_SECTORS = Table(
    TableName.COMPANY_SECTORS,
    "The sectors each company works in",
    (SLUG, Column("sector", "string", "One sector of the registry's vocabulary.", True)),
    ("company", "sector"),
    lambda: (
        sa_select(col(Company.slug), col(CompanySector.sector))
        .join(Company, col(Company.id) == CompanySector.company_id)
        .order_by(col(Company.slug), col(CompanySector.sector))
    ),
    foreign_keys=BY_COMPANY,
)

FORMER_NAMES = Table(
    TableName.FORMER_NAMES,
    "Names a company was known by",
    (
        SLUG,
        Column("name", "string", "The former name.", required=True),
        Column("used_until", "string", f"When it stopped being used. {STATED}"),
        Column("used_until_precision", "string", PRECISION),
    ),
    ("company", "name"),
    lambda: (
        sa_select(
            col(Company.slug),
            col(CompanyFormerName.name),
            col(CompanyFormerName.used_until),
            col(CompanyFormerName.used_until_precision),
        )
        .join(Company, col(Company.id) == CompanyFormerName.company_id)
        .order_by(col(Company.slug), col(CompanyFormerName.name))
    ),
    lambda r: [r[0], r[1], partial(r[2], r[3]), r[3]],
    BY_COMPANY,
)


def _events() -> AnySelect:
    event = EndorsementEvent
    return (
        sa_select(
            col(event.id),
            col(Company.slug),
            col(event.kind),
            col(event.occurred_on),
            col(event.date_precision),
            col(event.earliest_on),
            col(event.latest_on),
            col(FrameworkVersion.code),
            col(event.source_url),
            col(event.earliest_source_url),
            col(event.latest_source_url),
            col(event.date_note),
            col(event.consulted_in_drafting),
            col(event.note),
            col(Milestone.slug),
            col(event.recorded_at),
            col(EndorsementRetraction.reason),
        )
        .join(Company, col(Company.id) == event.company_id)
        .join(FrameworkVersion, col(FrameworkVersion.id) == event.framework_version_id)
        .outerjoin(Milestone, col(Milestone.id) == event.milestone_id)
        .outerjoin(EndorsementRetraction, col(EndorsementRetraction.event_id) == event.id)
        .order_by(col(event.id))
    )


def _event_row(row: Any) -> list[Any]:
    event_id, slug, kind, occurred_on, precision, *rest, retraction = row
    stated = partial(occurred_on, precision, rest[1])  # rest: earliest_on, latest_on, ...
    return [event_id, slug, kind, stated, precision, *rest, retraction is not None, retraction]


ENDORSEMENT_EVENTS = Table(
    TableName.ENDORSEMENT_EVENTS,
    "Every endorsement event, in the order recorded; retracted ones marked, never removed",
    (
        Column("event_id", "integer", "Identifier of the event.", required=True),
        SLUG,
        Column("kind", "string", "endorsed, reaffirmed, withdrawn or lapsed.", required=True),
        Column("occurred_on", "string", STATED, required=True),
        Column("precision", "string", PRECISION, required=True),
        Column(
            "earliest",
            "date",
            "First day the date can mean (never before the framework version's publication).",
            required=True,
        ),
        Column("latest", "date", "Last day the date can mean.", required=True),
        Column("framework_version", "string", "The version endorsed, e.g. 2020.", required=True),
        Column("source_url", "string", "Where the event is stated publicly.", required=True),
        Column("earliest_source_url", "string", "A range only: what bounds its first day."),
        Column("latest_source_url", "string", "A range only: what bounds its last day."),
        Column("date_note", "string", "A range only: how the sources bound the date."),
        Column("consulted_in_drafting", "boolean", "One of the six consulted in drafting."),
        Column("note", "string", "Context the registry recorded."),
        Column("milestone", "string", "Slug of the milestone the event belongs to."),
        Column("recorded_at", "datetime", "When the registry recorded it (UTC).", True),
        Column("retracted", "boolean", "Recorded by mistake: it no longer counts.", True),
        Column("retraction_reason", "string", "Why it was retracted."),
    ),
    ("event_id",),
    _events,
    _event_row,
    BY_COMPANY,
)
