"""The commonest pages answered before routing, from the read models the API's commonest answers
come from (`app/http/stored_answers.py`): a company's page from its stored page part, and the
companies table from its companies' stored rows where the API's own layer takes its query (no
filter or a status; by name or endorsement; by offset or cursor).

Through the routes, a company page took ~2 ms: routing, the dependencies, a worker thread and an
ORM session. Here, rendered from the company's document and its updates' documents, it took
~0.35 ms (~0.1 ms of it rendering); what the page shows of the company is now rendered when its
document is (`fragments.py`), so a page is one statement, like the API's detail, and the notices
around the stored part. Pages show everyone the anonymous view, so a request with a key goes to
the app, as does anything else this layer is not sure of (a slug not stored as written, a part
not stored, a query the API's layer does not take). Both ways render with
`app/pages/rendering.py` and `fragments.py`; tests compare them byte for byte and header for
header.
"""

from dataclasses import dataclass

from markupsafe import Markup

from app.access import Principal
from app.companies import listing
from app.companies.queries import CompanyFilters, CompanySort
from app.core.etags import etag
from app.core.links import Located
from app.core.urls import API_PREFIX
from app.engines.base import RowReader
from app.http.answers import Answer
from app.keys.authentication import Moment, read_moment
from app.pages import rendering


def _answer(body: bytes, version: str, twin: str) -> Answer:
    return Answer(
        body,
        etag(version),
        [rendering.twin_link(twin)],
        content_type=rendering.HTML,
        headers={"Content-Security-Policy": rendering.POLICY},
    )


# A company's stored page part (`app/pages/fragments.py`) by its slug, as a moment's columns.
_PART = "company_page_part.name, company_page_part.content"
_PART_BY_SLUG = "LEFT JOIN company_page_part ON company_page_part.slug = :slug"


@dataclass(frozen=True)
class CompanyPageRequest:
    slug: str
    route = "/companies/{slug}"

    async def read(self, rows: RowReader, *, public: bool, key_id: str | None) -> Moment:
        return await read_moment(
            rows,
            public=public,
            key_id=key_id,
            columns=f"{_PART}, ({listing.ENDORSING})",
            joins=_PART_BY_SLUG,
            params={"slug": self.slug} | listing.ENDORSING_PARAMS,
        )

    def serves(self, principal: Principal | None) -> bool:
        return principal is None  # the anonymous view: a browser sending a key goes to the app

    async def answer(
        self, rows: RowReader, moment: Moment, version: str, *, restricted: bool
    ) -> Answer | None:
        name, content, endorsing = moment.columns
        if content is None:
            return None
        twin = f"{API_PREFIX}/companies/{self.slug}"
        stored = Markup(content)  # noqa: S704 - stored as its template rendered it, escaped
        page = rendering.html("company.html", twin, int(endorsing or 0), name=name, content=stored)
        return _answer(page, version, twin)


@dataclass(frozen=True)
class CompanyTableRequest:
    wanted: listing.ListRequest
    url: Located
    route = "/companies"

    async def read(self, rows: RowReader, *, public: bool, key_id: str | None) -> Moment:
        columns, params = listing.counted(self.wanted)
        return await read_moment(rows, public=public, key_id=key_id, columns=columns, params=params)

    def serves(self, principal: Principal | None) -> bool:
        return principal is None

    async def answer(
        self, rows: RowReader, moment: Moment, version: str, *, restricted: bool
    ) -> Answer | None:
        shown = await listing.shown(rows, self.wanted, self.url, moment.columns)
        limit = self.wanted.page.limit
        stored = await listing.stored_for(rows, listing.TABLE_ROWS, shown.ids, limit)
        if stored is None:
            return None
        query = self.url.query
        twin = f"{API_PREFIX}/companies" + (f"?{query}" if query else "")
        page = rendering.html(
            "companies.html", twin, shown.endorsing, found=shown.shell(self.wanted),
            rows=[Markup(row) for row in stored], filters=CompanyFilters(status=self.wanted.status),  # noqa: S704 - stored as rendered, escaped
            sort=self.wanted.sort, sorts=list(CompanySort),
        )  # fmt: skip
        return _answer(page, version, twin)
