"""Companies, the names they were known by, and the sectors they work in."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, Relationship, SQLModel

from app.core.types import POINT_PRECISIONS, UTCDateTime, one_of, utcnow, version_column

_company_version = version_column()


class Sector(StrEnum):
    SOCIAL_MEDIA = "social_media"
    MESSAGING = "messaging"
    SEARCH = "search"
    GAMING = "gaming"
    LIVESTREAMING = "livestreaming"
    VIDEO_SHARING = "video_sharing"
    APP_STORE = "app_store"
    CLOUD_AND_HOSTING = "cloud_and_hosting"
    DATING = "dating"
    E_COMMERCE = "e_commerce"
    DEVICES = "devices"
    NETWORK_INFRASTRUCTURE = "network_infrastructure"
    OTHER = "other"


class Company(SQLModel, table=True):
    __tablename__ = "company"
    __table_args__ = (
        CheckConstraint("length(slug) >= 1", name="slug_not_empty"),
        CheckConstraint(
            "country IS NULL OR (length(country) = 2 AND upper(country) = country)",
            name="country_alpha2",
        ),
        CheckConstraint(
            "country_source_url IS NULL OR country_source_url LIKE 'https://%'",
            name="country_source_https",
        ),
        CheckConstraint(
            "sectors_source_url IS NULL OR sectors_source_url LIKE 'https://%'",
            name="sectors_source_https",
        ),
    )

    __mapper_args__ = {"version_id_col": _company_version}

    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(default=1, sa_column=_company_version)
    slug: str = Field(max_length=80, unique=True)
    name: str = Field(max_length=200, index=True)
    country: str | None = Field(default=None, max_length=2, index=True)
    website: str | None = Field(default=None, max_length=500)
    # Why no country is recorded, when a single one would be contestable (TikTok).
    country_note: str | None = Field(default=None, max_length=500)
    # Where the country (or the note on it) and the sectors are stated publicly; null: no source
    # recorded yet, which the pages and the API say. A website is its own source.
    country_source_url: str | None = Field(default=None, max_length=500)
    sectors_source_url: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    former_names: list["CompanyFormerName"] = Relationship(
        sa_relationship_kwargs={"order_by": "CompanyFormerName.id", "lazy": "raise"}
    )
    sectors: list["CompanySector"] = Relationship(
        sa_relationship_kwargs={"order_by": "CompanySector.sector", "lazy": "raise"}
    )


class CompanyFormerName(SQLModel, table=True):
    __tablename__ = "company_former_name"
    __table_args__ = (
        UniqueConstraint("company_id", "name"),
        one_of("used_until_precision", POINT_PRECISIONS),
        CheckConstraint(
            "(used_until IS NULL) = (used_until_precision IS NULL)", name="used_until_precise"
        ),
        CheckConstraint("source_url IS NULL OR source_url LIKE 'https://%'", name="source_https"),
    )

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    name: str = Field(max_length=200, index=True)
    used_until: date | None = None  # the first day the stated date can mean
    used_until_precision: str | None = Field(default=None, max_length=5)
    source_url: str | None = Field(default=None, max_length=500)  # of the name and its end


class CompanySector(SQLModel, table=True):
    __tablename__ = "company_sector"
    __table_args__ = (one_of("sector", Sector),)

    company_id: int = Field(foreign_key="company.id", primary_key=True)
    sector: str = Field(max_length=40, primary_key=True, index=True)


class CompanyDocument(SQLModel, table=True):
    """Each company's detail as the API serves it, rendered in the transaction that changed it
    (`app/companies/documents.py`): a read of one company is one row by its slug."""

    __tablename__ = "company_document"

    company_id: int = Field(foreign_key="company.id", primary_key=True)
    slug: str = Field(max_length=80, unique=True)
    version: str = Field(max_length=80, description="the company's resource version (ETag)")
    body: bytes = Field(sa_type=LargeBinary, description="the detail's JSON, as served")


class CompanyItem(SQLModel, table=True):
    """Each company as an item of the list, rendered with its document: a page of the list is
    its items' rows. Apart from the details (several times their size), so that a page reads
    few pages of the file and the items stay in the cache."""

    __tablename__ = "company_item"

    company_id: int = Field(foreign_key="company.id", primary_key=True)
    item: bytes = Field(sa_type=LargeBinary, description="its JSON as an item of the list")


class CompanyPagePart(SQLModel, table=True):
    """What each company's web page (`/companies/{slug}`) shows of it, rendered as HTML with its
    document: a page is this part and the notices every page carries, where rendering the whole
    page from the document and reading its updates was most of a page's time."""

    __tablename__ = "company_page_part"

    company_id: int = Field(foreign_key="company.id", primary_key=True)
    slug: str = Field(max_length=80, unique=True)
    name: str = Field(max_length=200, description="the page's title")
    content: str = Field(
        sa_type=Text, description="its facts, history, implementation and updates, as HTML"
    )


class CompanyTableRow(SQLModel, table=True):
    """Each company's row of the companies table (`/companies`), rendered as HTML with its
    item: a page of the table is its rows, as a page of the list is its items."""

    __tablename__ = "company_table_row"

    company_id: int = Field(foreign_key="company.id", primary_key=True)
    row: str = Field(sa_type=Text, description="its <tr>, as HTML")


class CompanyReport(SQLModel, table=True):
    """A report the company publishes itself (a transparency report, its counts of reports to
    NCMEC), linked by an administrator: what it publishes elsewhere, apart from the updates it
    submits to this registry. Added, never changed."""

    __tablename__ = "company_report"
    __table_args__ = (
        one_of("published_precision", POINT_PRECISIONS),
        CheckConstraint("url LIKE 'https://%'", name="url_https"),
    )

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    title: str = Field(max_length=300)
    publisher: str = Field(max_length=200)
    published_on: date = Field(description="first day of the stated day, month or year")
    published_precision: str = Field(max_length=5)
    url: str = Field(max_length=500)
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    recorded_by: str = Field(max_length=40, description="key id of the administrator")
