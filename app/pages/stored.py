"""The commonest pages answered before routing, from the read models the API's commonest answers
come from (`app/http/stored_answers.py`): a company's page from its stored document and its
updates' stored documents, and the companies table where the API's own layer takes its query
(no filter or a status; by name or endorsement; by offset or cursor).

Through the routes, a company page took ~2 ms, of which rendering it is ~0.1 ms and the rest
routing, the dependencies, a worker thread and an ORM session: 500 company pages/s where the
API's detail answered 7,300 (100,000 companies, cold URLs; 2,900 pages/s answered here). Pages
show everyone the anonymous view, so a request with a key goes to the app, as does anything
else this layer is not sure of (a slug not stored as written, a document not stored, a query
the API's layer does not take). Both ways render with
`app/pages/rendering.py`; tests compare them byte for byte and header for header.
"""

from dataclasses import dataclass

from app.access import Principal
from app.companies import documents, listing
from app.companies.queries import CompanyFilters, CompanySort
from app.companies.schemas import CompanyDetailRead, CompanyPage
from app.core.etags import etag
from app.core.links import Located
from app.core.urls import API_PREFIX
from app.engines.base import RowReader
from app.http.answers import Answer
from app.keys.authentication import Moment, read_moment
from app.pages import rendering
from app.updates import listing as update_listing


def _answer(body: bytes, version: str, twin: str) -> Answer:
    return Answer(
        body,
        etag(version),
        [rendering.twin_link(twin)],
        content_type=rendering.HTML,
        headers={"Content-Security-Policy": rendering.POLICY},
    )


@dataclass(frozen=True)
class CompanyPageRequest:
    slug: str
    route = "/companies/{slug}"

    async def read(self, rows: RowReader, *, public: bool, key_id: str | None) -> Moment:
        return await read_moment(
            rows,
            public=public,
            key_id=key_id,
            columns=f"{documents.DOCUMENT_COLUMNS}, ({listing.ENDORSING})",
            joins=documents.DOCUMENT_BY_SLUG,
            params={"slug": self.slug} | listing.ENDORSING_PARAMS,
        )

    def serves(self, principal: Principal | None) -> bool:
        return principal is None  # the anonymous view: a browser sending a key goes to the app

    async def answer(
        self, rows: RowReader, moment: Moment, version: str, *, restricted: bool
    ) -> Answer | None:
        stored = documents.stored_of(moment)
        if stored is None:
            return None
        updates = await update_listing.company_heads(rows, self.slug, rendering.MOST_UPDATES)
        if updates is None:
            return None
        company = CompanyDetailRead.model_validate_json(stored.body)
        twin = f"{API_PREFIX}/companies/{self.slug}"
        endorsing = int(moment.columns[2] or 0)
        page = rendering.html("company.html", twin, endorsing, company=company, updates=updates)
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
        body, _links = await listing.page_body(rows, self.wanted, self.url, moment.columns)
        found = CompanyPage.model_validate_json(body)
        query = self.url.query
        twin = f"{API_PREFIX}/companies" + (f"?{query}" if query else "")
        page = rendering.html(
            "companies.html", twin, found.coverage.endorsers_recorded, found=found,
            filters=CompanyFilters(status=self.wanted.status), sort=self.wanted.sort,
            sorts=list(CompanySort),
        )  # fmt: skip
        return _answer(page, version, twin)
