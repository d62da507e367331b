"""A company's parts of the web pages, rendered as HTML when its stored document is
(`app/companies/documents.py`): its own sections of its page and its row of the companies table.

The routes render them the same way from what they read, so a page made from the stored parts
(`app/pages/stored.py`) and one made by its route are the same bytes; the page tests compare
the two after every kind of write.
"""

from markupsafe import Markup

from app.companies.schemas import CompanyDetailRead, CompanyRead
from app.pages.templating import ENVIRONMENT

_FACTS = ENVIRONMENT.get_template("_company_facts.html")
_ROW = ENVIRONMENT.get_template("_company_row.html")


def facts(company: CompanyDetailRead) -> Markup:
    """Its facts, endorsement history and implementation: what its page shows of it."""
    return Markup(_FACTS.render(company=company))  # noqa: S704 - autoescaped by its template


def row(company: CompanyRead) -> Markup:
    """Its row of the companies table."""
    return Markup(_ROW.render(company=company))  # noqa: S704 - autoescaped by its template
