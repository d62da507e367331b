"""The company list's filters, as query parameters (the API's list and the web page's table)."""

from typing import Annotated

from fastapi import Query
from pydantic import AfterValidator

from app.companies import queries
from app.companies.models import Sector
from app.core.countries import COUNTRY_PATTERN, country_code
from app.core.dates import DateMatch
from app.core.parameters import DateMatchQuery
from app.core.schemas import IsoDate
from app.endorsements.models import EndorsementStatus


def company_filters(
    status: Annotated[
        EndorsementStatus | None,
        Query(title="Endorsement status", description="Current status, derived from events."),
    ] = None,
    country: Annotated[
        str | None,
        Query(
            title="Country",
            description="Headquarters country, ISO 3166-1 alpha-2 (e.g. US).",
            min_length=2,
            max_length=2,
            pattern=COUNTRY_PATTERN,
        ),
        AfterValidator(country_code),  # after Query, or FastAPI drops its constraints
    ] = None,
    sector: Annotated[
        Sector | None, Query(title="Sector", description="Only companies working in this sector.")
    ] = None,
    q: Annotated[
        str | None,
        Query(
            title="Name search",
            description="Case-insensitive text in the current or a former name.",
            min_length=1,
            max_length=100,
        ),
    ] = None,
    endorsed_after: Annotated[
        IsoDate | None,
        Query(
            title="Endorsed on or after",
            description="Endorsement on or after this day (see `date_match` for dates known "
            "only to the month or year).",
        ),
    ] = None,
    endorsed_before: Annotated[
        IsoDate | None,
        Query(
            title="Endorsed on or before",
            description="Endorsement on or before this day (see `date_match`).",
        ),
    ] = None,
    date_match: DateMatchQuery = DateMatch.CERTAIN,
) -> queries.CompanyFilters:
    return queries.CompanyFilters(
        status=status,
        country=country,
        sector=sector,
        q=q,
        endorsed_after=endorsed_after,
        endorsed_before=endorsed_before,
        date_match=date_match,
    )
