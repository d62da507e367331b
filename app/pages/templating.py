"""The Jinja2 environment of the pages: autoescaping everywhere (company names and narratives
come from outside), and the few filters the templates need to say things as the API means them."""

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader

from app.core.urls import page_url

ENVIRONMENT = Environment(
    loader=FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=True,  # every template, whatever its file name
    trim_blocks=True,
    lstrip_blocks=True,
    auto_reload=False,  # the templates ship with the code: no stat of the file per page
)

STATUS_WORDS = {
    "implemented": "Implemented",
    "in_progress": "In progress",
    "planned": "Planned",
    "not_started": "Not started",
    "not_applicable": "Not applicable",
    "not_reported": "None submitted here",
}
SORT_WORDS = {
    "name": "Name, A to Z",
    "-name": "Name, Z to A",
    "endorsed_on": "Endorsed, earliest first",
    "-endorsed_on": "Endorsed, latest first",
    "country": "Country, A to Z",
    "-country": "Country, Z to A",
}
PRECISION_WORDS = {"day": "", "month": "month known", "year": "year known"}


def words(value: Any) -> str:
    """An API value said as words: `in_progress` -> In progress, `endorsed` -> Endorsed."""
    text = str(getattr(value, "value", value))
    return STATUS_WORDS.get(text) or text.replace("_", " ").capitalize()


def listed(values: Any) -> str:
    """Values said as words, in a line: one filter where a map-map-join pipeline cost a third
    of rendering a page of 50 companies."""
    return ", ".join(words(str(value)) for value in values)


def stated(date: Any) -> str:
    """A partial date as precisely as its source states it: 2020-03-05, 2023-07 (month), 2021,
    between 2020-03-05 and 2021-03-31."""
    if date is None:
        return "unknown"
    precision = str(getattr(date.precision, "value", date.precision))
    if precision == "range":
        return f"between {date.earliest} and {date.latest}"
    note = PRECISION_WORDS.get(precision, "")
    return f"{date.value} ({note})" if note else str(date.value)


@lru_cache(maxsize=4096)  # a company's page links its latest update from most principles' rows
def page_of(api_url: str | None) -> str | None:
    """The page of an API resource (/api/v1/companies/meta -> /companies/meta), or the API URL
    itself where there is no page (a milestone, a review)."""
    return (page_url(api_url) or api_url) if api_url else api_url


ENVIRONMENT.filters.update(
    words=words,
    listed=listed,
    stated=stated,
    page_of=page_of,
    sort_words=lambda value: SORT_WORDS[str(value)],
)
