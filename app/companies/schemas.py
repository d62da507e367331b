"""API models for companies."""

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import AfterValidator, Field, field_validator, model_validator

from app.api_index.schemas import CoverageNoticeRead
from app.companies.models import Sector
from app.companies.reports import CompanyReportRead
from app.core.countries import COUNTRY_PATTERN, country_code
from app.core.dates import parse_stated
from app.core.pagination import Page
from app.core.schemas import HttpsUrl, InputModel, PartialDate, PlainName, PublicModel, Slug
from app.core.urls import company_url, update_url
from app.endorsements.schemas import (
    ENDORSEMENT_NOTICE,
    EndorsementEventRead,
    EndorsementSummaryRead,
)
from app.updates.models import ReportedStatus

if TYPE_CHECKING:
    from app.audit.models import AuditRecord
    from app.companies.models import CompanyFormerName
    from app.companies.queries import CompanyRow
    from app.updates.latest import PrincipleStatus


class FormerNameRead(PublicModel):
    name: str
    used_until: PartialDate | None = Field(
        description="When the name stopped being used, as precisely as the source states it."
    )
    # Written only when recorded: the states logged before sources existed keep their bytes.
    source_url: str | None = Field(
        default=None,
        exclude_if=lambda url: url is None,
        description="Where the name and its end are stated publicly (absent: none recorded).",
    )

    @classmethod
    def of(cls, former: "CompanyFormerName") -> "FormerNameRead":
        until, precision = former.used_until, former.used_until_precision
        return cls(
            name=former.name,
            used_until=PartialDate.of(until, precision) if until and precision else None,
            source_url=former.source_url,
        )


class CompanySourcesRead(PublicModel):
    """Where a company's attributes are stated publicly; null: no source recorded yet."""

    country: str | None = Field(description="Of its country, or of the note on why none.")
    sectors: str | None = Field(description="Of its sectors.")


class CompanyRead(PublicModel):
    slug: str
    name: str
    former_names: list[FormerNameRead]
    country: str | None = Field(description="Headquarters, ISO 3166-1 alpha-2.")
    country_note: str | None = Field(
        description="Why no country is recorded, where a single one would be contestable."
    )
    sectors: list[Sector]
    website: str | None = Field(description="The company's own site: its own source.")
    sources: CompanySourcesRead
    endorsement: EndorsementSummaryRead
    url: str

    @classmethod
    def of(cls, row: "CompanyRow") -> "CompanyRead":
        return cls(**cls.fields_of(row))

    @staticmethod
    def fields_of(row: "CompanyRow") -> dict[str, Any]:
        """The fields, for this model or one that extends it (validated once, by that one)."""
        company = row.company
        return {
            "slug": company.slug,
            "name": company.name,
            "former_names": [FormerNameRead.of(f) for f in company.former_names],
            "country": company.country,
            "country_note": company.country_note,
            "sectors": sorted(Sector(s.sector) for s in company.sectors),
            "website": company.website,
            "sources": CompanySourcesRead(
                country=company.country_source_url, sectors=company.sectors_source_url
            ),
            "endorsement": EndorsementSummaryRead.of(row.latest, row.endorsed),
            "url": company_url(company.slug),
        }


class PrincipleStatusRead(PublicModel):
    principle: str
    framework_version: str
    status: ReportedStatus
    period_start: date | None = Field(description="Of the update it comes from; null if none.")
    period_end: date | None
    submitted_at: datetime | None
    update_url: str | None

    @classmethod
    def of(cls, row: "PrincipleStatus") -> "PrincipleStatusRead":
        return cls(
            principle=row.principle,
            framework_version=row.framework_version,
            status=ReportedStatus(row.status),
            period_start=row.period_start,
            period_end=row.period_end,
            submitted_at=row.submitted_at,
            update_url=update_url(row.update_id) if row.update_id else None,
        )


class CompanyDetailRead(CompanyRead):
    notice: str
    endorsement_history: list[EndorsementEventRead] = Field(description="Oldest first.")
    implementation: list[PrincipleStatusRead] = Field(
        description="Every principle of the current framework version: the status in the "
        "latest update the company submitted to this registry, or `not_reported` (no update "
        "submitted here: the company may publish transparency data elsewhere); then what it "
        "submitted under older versions."
    )
    transparency_reports: list[CompanyReportRead] = Field(
        description="What the company publishes itself (its transparency reports), linked by "
        "the registry's administrators: not updates submitted to this registry. Newest first."
    )
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(  # type: ignore[override]  # a detail is made of more than the row
        cls,
        row: "CompanyRow",
        history: list[EndorsementEventRead],
        implementation: list[PrincipleStatusRead],
        reports: list[CompanyReportRead],
    ) -> "CompanyDetailRead":
        return cls(
            **CompanyRead.fields_of(row),
            notice=ENDORSEMENT_NOTICE,
            endorsement_history=history,
            implementation=implementation,
            transparency_reports=reports,
            created_at=row.company.created_at,
            updated_at=row.company.updated_at,
        )


class CompanyPage(Page[CompanyRead]):
    notice: str
    coverage: CoverageNoticeRead = Field(
        description="How many endorsers the registry records, and how many public sources state."
    )


class FormerNameInput(InputModel):
    name: PlainName
    used_until: str | None = Field(
        default=None,
        max_length=10,
        description="When the name stopped being used, as the source states it: `2021-10-28`, "
        "`2023-07` (a month) or `2023` (a year).",
        examples=["2021-10-28", "2023-07"],
    )
    source_url: HttpsUrl | None = Field(
        default=None, description="Where the name and its end are stated publicly."
    )

    @field_validator("used_until")
    @classmethod
    def _stated(cls, value: str | None) -> str | None:
        if value is not None:
            parse_stated(value)  # ValueError -> 422 in words
        return value

    def row_fields(self) -> dict[str, Any]:
        """The columns of its `company_former_name` row."""
        named = {"name": self.name, "source_url": self.source_url}
        if self.used_until is None:
            return named | {"used_until": None, "used_until_precision": None}
        day, precision = parse_stated(self.used_until)
        return named | {"used_until": day, "used_until_precision": precision.value}


CountryCode = Annotated[
    str, Field(min_length=2, max_length=2, pattern=COUNTRY_PATTERN), AfterValidator(country_code)
]


class CompanyChange(InputModel):
    """Fields to change; those left out stay as they are. Lists replace the whole list."""

    name: PlainName | None = None
    country: CountryCode | None = Field(default=None, description="ISO 3166-1 alpha-2.")
    country_note: str | None = Field(
        default=None, max_length=500, description="Why no country is recorded, if none is."
    )
    sectors: list[Sector] | None = Field(
        default=None, max_length=len(Sector), json_schema_extra={"uniqueItems": True}
    )
    website: HttpsUrl | None = None
    country_source_url: HttpsUrl | None = Field(
        default=None, description="Where the country (or the note on it) is stated publicly."
    )
    sectors_source_url: HttpsUrl | None = Field(
        default=None, description="Where the sectors are stated publicly."
    )
    former_names: list[FormerNameInput] | None = Field(default=None, max_length=20)

    @field_validator("sectors", "former_names")
    @classmethod
    def _no_repeats(cls, values: list[Any] | None) -> list[Any] | None:
        keys = [str(getattr(v, "name", v)).casefold() for v in values or []]
        if len(set(keys)) != len(keys):
            raise ValueError("each item may appear once")
        return values

    @model_validator(mode="after")
    def _name_cannot_be_cleared(self) -> "CompanyChange":
        if "name" in self.model_fields_set and self.name is None:
            raise ValueError("name cannot be null")
        return self

    def changes(self) -> dict[str, Any]:
        """The fields given, as the company's columns (a former name's date with its precision)."""
        fields = self.model_dump(exclude_unset=True)
        if self.former_names is not None:
            fields["former_names"] = [former.row_fields() for former in self.former_names]
        return fields


class CompanyCreate(CompanyChange):
    slug: Slug
    name: PlainName


class ActorRead(PublicModel):
    role: str = Field(description="e.g. registry administrator, government, registry seed")
    organisation: str | None = Field(description="The government, company or body, if any.")
    key_id: str | None = Field(
        default=None, description="The acting key's id: shown to administrators only."
    )


class CompanyRevisionRead(PublicModel):
    """One recorded state of a company or its endorsement: who changed it, when, and the public
    document it became."""

    at: datetime
    actor: ActorRead
    action: str
    state: dict[str, Any] | None

    @classmethod
    def of(cls, record: "AuditRecord", actor: ActorRead) -> "CompanyRevisionRead":
        return cls(at=record.at, actor=actor, action=record.action, state=record.after)


class RevisionPage(Page[CompanyRevisionRead]):
    """A company's recorded changes, oldest first."""
