"""What `StoredDocuments` (app/http/stored_documents.py) answers, kind by kind: a company's
detail, the company list's commonest pages, the update list's, the dashboard statistics, and
the web pages of a company and of the companies table (`app/pages/stored.py`). Each
says which requests it takes (`wanted`), what it reads with the clock and the caller's key in
one statement, which callers it serves, and its body; anything else goes to the app."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from starlette.types import Scope

from app.access import Principal
from app.companies import documents, listing
from app.core.etags import etag
from app.core.links import Located, RequestTarget
from app.core.parameters import SLUG_MAX
from app.core.urls import API_PREFIX
from app.engines.base import RowReader
from app.http.answers import Answer, Wanted
from app.keys.authentication import Moment, read_moment
from app.keys.models import Role
from app.pages import stored as stored_pages
from app.stats import answers as statistics
from app.updates import listing as update_listing

_SLUG = rf"([A-Za-z0-9][A-Za-z0-9-]{{0,{SLUG_MAX - 1}}})"
_COMPANY = re.compile(rf"^{API_PREFIX}/companies/{_SLUG}$")
_COMPANY_PAGE = re.compile(rf"^/companies/{_SLUG}$")
_COMPANIES = f"{API_PREFIX}/companies"
_COMPANIES_PAGE = "/companies"
_UPDATES = f"{API_PREFIX}/updates"
_STATS = f"{API_PREFIX}/stats/"


def _page_links(links: tuple[str | None, str | None]) -> list[str]:
    return [
        f'<{link}>; rel="{rel}"' for rel, link in zip(("next", "prev"), links, strict=True) if link
    ]


@dataclass(frozen=True)
class CompanyDetail:
    slug: str
    route = f"{API_PREFIX}/companies/{{slug}}"

    async def read(self, rows: RowReader, *, public: bool, key_id: str | None) -> Moment:
        return await documents.look_up(rows, self.slug, public=public, key_id=key_id)

    def serves(self, principal: Principal | None) -> bool:
        return True  # every caller sees the same company, at its own clock

    async def answer(
        self, rows: RowReader, moment: Moment, version: str, *, restricted: bool
    ) -> Answer | None:
        stored = documents.stored_of(moment)
        return None if stored is None else Answer(stored.body, etag(stored.version, version), [])


@dataclass(frozen=True)
class CompanyList:
    wanted: listing.ListRequest
    url: Located
    route = _COMPANIES

    async def read(self, rows: RowReader, *, public: bool, key_id: str | None) -> Moment:
        columns, params = listing.counted(self.wanted)
        return await read_moment(rows, public=public, key_id=key_id, columns=columns, params=params)

    def serves(self, principal: Principal | None) -> bool:
        return True

    async def answer(
        self, rows: RowReader, moment: Moment, version: str, *, restricted: bool
    ) -> Answer | None:
        made = await listing.page_body(rows, self.wanted, self.url, moment.columns)
        return None if made is None else Answer(made[0], etag(version), _page_links(made[1]))


class _FixedMoment:
    """A kind whose moment reads the same columns for every request."""

    columns: ClassVar[str]
    params: ClassVar[dict[str, Any]]

    async def read(self, rows: RowReader, *, public: bool, key_id: str | None) -> Moment:
        return await read_moment(
            rows, public=public, key_id=key_id, columns=self.columns, params=self.params
        )


@dataclass(frozen=True)
class UpdateList(_FixedMoment):
    wanted: update_listing.ListRequest
    url: Located
    route = _UPDATES
    columns = update_listing.TOTAL
    params = update_listing.TOTAL_PARAMS

    def serves(self, principal: Principal | None) -> bool:
        # A company's key also sees its own drafts: the route lists them.
        return principal is None or principal.role is not Role.COMPANY

    async def answer(
        self, rows: RowReader, moment: Moment, version: str, *, restricted: bool
    ) -> Answer | None:
        body, links = await update_listing.page_body(
            rows, self.wanted, self.url, moment.columns, restricted=restricted
        )
        return Answer(body, etag(version), _page_links(links))


@dataclass(frozen=True)
class Statistic(_FixedMoment):
    wanted: statistics.StatisticRequest
    url: Located
    columns = statistics.MOMENT
    params = statistics.ENDORSING_PARAMS

    @property
    def route(self) -> str:
        return self.url.path  # each statistic its own route, with no parameter in its path

    def serves(self, principal: Principal | None) -> bool:
        return True  # every caller: coverage counts restricted entries for those who see them

    async def answer(
        self, rows: RowReader, moment: Moment, version: str, *, restricted: bool
    ) -> Answer | None:
        made = await statistics.answer(
            rows, self.wanted, moment.columns, self.url, restricted=restricted
        )
        return None if made is None else Answer(made[0], etag(version), _page_links(made[1]))


# Lists: the path, how its query is read (None: not here), and the kind answering it.
_LISTS: dict[str, tuple[Callable[[bytes], Any], Callable[[Any, RequestTarget], Wanted]]] = {
    _COMPANIES: (listing.parse, CompanyList),
    _UPDATES: (update_listing.parse, UpdateList),
    _COMPANIES_PAGE: (listing.parse, stored_pages.CompanyTableRequest),
}
# One resource by its slug, asked with no query.
_BY_SLUG: tuple[tuple[re.Pattern[str], Callable[[str], Wanted]], ...] = (
    (_COMPANY, CompanyDetail),
    (_COMPANY_PAGE, stored_pages.CompanyPageRequest),
)


def wanted(scope: Scope) -> Wanted | None:
    """What this request asks, when it is one of the answers made here."""
    if scope["type"] != "http" or scope["method"] != "GET":
        return None
    path, query = scope["path"], scope["query_string"]
    if path in _LISTS:
        parse, kind = _LISTS[path]
        found = parse(query)
        return None if found is None else kind(found, RequestTarget.of(scope))
    if path.startswith(_STATS):
        stat = statistics.parse(path[len(_STATS) :], query)
        return None if stat is None else Statistic(stat, RequestTarget.of(scope))
    matches = ((pattern.match(path), kind) for pattern, kind in _BY_SLUG)
    return next((kind(match[1]) for match, kind in matches if match and not query), None)
