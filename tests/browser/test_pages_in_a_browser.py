"""The pages in a real browser (Debian's Chromium driven by Playwright), as a person uses them:
home -> a company -> its history as the API has it; the table filtered; an update opened; one
path by keyboard alone. On every page: no console error, no failed request, and axe-core finds
no WCAG 2.2 AA violation. A screenshot of each page is kept in var/artefacts/screenshots."""

import copy
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest

from app.keys.models import Role
from app.keys.service import KeySpec
from tests.conftest import served_registry, submit_over_http
from tests.servers import Instance
from tests.test_updates_workflow import DRAFT

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "var" / "artefacts" / "screenshots"
HOSTILE = '<script>alert("x")</script>'

if not (CHROMIUM.exists() and AXE.exists()):
    if os.environ.get("CI") == "true":
        raise RuntimeError("Chromium and axe-core are needed: `./dev test` installs both")
    pytest.skip(
        "Chromium or axe-core is missing: `./dev test` installs both", allow_module_level=True
    )

from playwright.sync_api import ConsoleMessage, Page, Response, sync_playwright  # noqa: E402


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Instance, dict[str, Any]]]:
    spec = KeySpec(Role.COMPANY, "m", company="meta")
    with served_registry("sqlite", tmp_path_factory.mktemp("browser"), spec) as (instance, key, _):
        yield instance, _published_update(instance, key)


def _published_update(instance: Instance, key: str) -> dict[str, Any]:
    body = copy.deepcopy(DRAFT)
    body["entries"][0]["narrative"] = f"Hash matching. {HOSTILE}"
    return submit_over_http(instance, key, body)


@pytest.fixture(scope="module")
def browser_page(registry) -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
        # axe is injected as a script of its own: let it past the pages' CSP (their own
        # scripts are checked by the CSP test of test_pages.py).
        context = browser.new_context(bypass_csp=True, viewport={"width": 1200, "height": 900})
        page = context.new_page()
        yield page
        context.close()
        browser.close()


class Watch:
    """What went wrong while a page was open: console errors, failed requests, dialogs."""

    def __init__(self, page: Page) -> None:
        self.problems: list[str] = []
        page.on("console", self._console)
        page.on("requestfailed", lambda request: self.problems.append(f"failed: {request.url}"))
        page.on("response", self._response)
        page.on("dialog", lambda dialog: self.problems.append(f"dialog: {dialog.message}"))

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.problems.append(f"console: {message.text}")

    def _response(self, response: Response) -> None:
        if response.status >= 400:
            self.problems.append(f"{response.status}: {response.url}")


def _check(page: Page, name: str) -> None:
    """axe-core on the page as shown, and a screenshot of it."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"
    )
    violations = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}: {v['nodes'][0]['target']})"
        for v in result["violations"]
    ]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    assert violations == [], f"{name}: {json.dumps(violations, indent=1)}"


PAGES = {
    "home": "/", "companies": "/companies", "company": "/companies/meta",
    "principles": "/principles", "coverage": "/coverage", "cycles": "/reporting-cycles",
    "data": "/data", "not-found": "/companies/no-such-company",
}  # fmt: skip


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_is_accessible_and_clean(registry, browser_page, name):
    instance, _ = registry
    watch = Watch(browser_page)
    browser_page.goto(instance.url + PAGES[name])
    _check(browser_page, name)
    # The 404 page is itself a 404, which Chromium also logs; nothing else may fail.
    expected = ("404:", "console: Failed to load resource") if name == "not-found" else ()
    assert [p for p in watch.problems if not (expected and p.startswith(expected))] == []


def test_a_person_follows_a_company_to_its_update(registry, browser_page):
    instance, update = registry
    watch = Watch(browser_page)
    browser_page.goto(instance.url + "/")
    browser_page.get_by_role("link", name="see them").click()
    browser_page.get_by_role("link", name="Meta", exact=True).click()
    assert browser_page.url.endswith("/companies/meta")
    api = httpx2.get(f"{instance.url}/api/v1/companies/meta").json()
    history = browser_page.get_by_role(
        "table", name="Every recorded event, oldest first, with its public source"
    )
    rows = history.locator("tbody tr")
    assert rows.count() == len(api["endorsement_history"])
    for row, event in zip(rows.all(), api["endorsement_history"], strict=True):
        assert row.locator("td").first.inner_text().startswith(event["occurred_on"]["value"])
        assert row.locator("a").get_attribute("href") == event["source_url"]
    browser_page.get_by_role("link", name=f"Update {update['id']}").click()
    assert browser_page.url.endswith(f"/updates/{update['id']}")
    assert HOSTILE in browser_page.get_by_text("Hash matching.").inner_text()  # shown as text
    assert browser_page.get_by_role("table", name="Metrics reported for VP-01").is_visible()
    _check(browser_page, "update")
    assert watch.problems == []


def test_the_table_filters_with_the_form(registry, browser_page):
    instance, _ = registry
    browser_page.goto(instance.url + "/companies")
    browser_page.get_by_label("Name contains").fill("goo")
    browser_page.get_by_role("button", name="Show").click()
    names = browser_page.locator("tbody th").all_inner_texts()
    assert names == ["Google"]
    assert "q=goo" in browser_page.url


def test_keyboard_only(registry, browser_page):
    instance, _ = registry
    browser_page.goto(instance.url + "/")
    browser_page.keyboard.press("Tab")
    focused = browser_page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to content"
    outline = browser_page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # the focus is visible
    for _ in range(2):  # past the brand, to the first item of the main navigation
        browser_page.keyboard.press("Tab")
    assert browser_page.evaluate("document.activeElement.textContent") == "Companies"
    browser_page.keyboard.press("Enter")
    browser_page.wait_for_url("**/companies")
    browser_page.get_by_label("Name contains").focus()
    browser_page.keyboard.type("micro")
    browser_page.keyboard.press("Enter")
    browser_page.wait_for_url("**/companies?q=micro*")
    assert browser_page.locator("tbody th").all_inner_texts() == ["Microsoft"]


def test_chromium_is_debians(registry):
    assert shutil.which("chromium") == str(CHROMIUM)
