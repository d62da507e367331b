"""A company's parts of the web pages, rendered as HTML when its stored document is
(`app/companies/documents.py`): everything its own page shows of it (facts, endorsement history,
implementation, its updates' lines) and its row of the companies table.

The routes render them the same way from what they read, so a page made from the stored parts
(`app/pages/stored.py`) and one made by its route are the same bytes: the page tests compare the
two before and after updates and amendments, and the read-model test compares the stored parts
with a rebuild after random writes. A company's updates' lines are part of its page: every
submission, the only write that changes them, marks the company in its own transaction.
"""

from markupsafe import Markup

from app.companies.schemas import CompanyDetailRead, CompanyRead
from app.pages.templating import ENVIRONMENT
from app.updates.schemas import UpdateRead

MOST_UPDATES = 200  # a company's page lists its newest updates and revisions, up to this many
_CONTENT = ENVIRONMENT.get_template("_company_content.html")
_ROW = ENVIRONMENT.get_template("_company_row.html")


def content(company: CompanyDetailRead, updates: list[UpdateRead]) -> Markup:
    """What the company's page shows of it, between the heading and the notices."""
    return Markup(_CONTENT.render(company=company, updates=updates))  # noqa: S704 - autoescaped by its template


def row(company: CompanyRead) -> Markup:
    """Its row of the companies table."""
    return Markup(_ROW.render(company=company))  # noqa: S704 - autoescaped by its template
