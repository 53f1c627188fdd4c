"""Real Chromium (Debian's) driven by Playwright against pytest-django's live server."""

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

# Playwright's sync API keeps an event loop running in this thread; the ORM calls the tests make
# between browser steps are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, live_server: Any) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url, locale="nb-NO")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def login(page: Page, username: str, password: str = "test-password-1") -> None:
    page.goto("/login/")
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill(password)
    page.get_by_role("button", name="Logg inn").click()
    # The click returns before the next page exists: wait until the browser has left the login
    # page, or the next step may act on a page that is going away.
    page.wait_for_url(lambda url: "/login/" not in url)
    page.wait_for_load_state("networkidle")


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core in the page for WCAG 2.1 A and AA; returns the violations."""
    # Evaluated through DevTools rather than added as a <script>: the page's CSP forbids inline
    # scripts, and must stay on while axe runs.
    page.evaluate(AXE_JS.read_text())
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return list(result["violations"])


def assert_accessible(page: Page) -> None:
    violations = axe_violations(page)
    summary = [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in violations
    ]
    assert violations == [], f"axe violations on {page.url}:\n{json.dumps(summary, indent=2)}"


def choose(page: Page, label: str, option: str) -> None:
    """Pick ``option`` in the filter ``label`` (Designsystemet's Suggestion) with the keyboard:
    type part of it, arrow down into the list, Enter; a chip appears."""
    # The label, not the accessible name: u-combobox appends the choices to the input's name.
    field = page.locator("label.ds-label", has_text=re.compile(rf"^{re.escape(label)}$"))
    box = page.locator(f"#{field.first.get_attribute('for')}")
    box.focus()
    box.fill(option[:4])
    page.keyboard.press("ArrowDown")
    combobox = page.locator("u-combobox").filter(has=box)
    combobox.locator("u-option").filter(has_text=re.compile(rf"^{re.escape(option)}$")).focus()
    page.keyboard.press("Enter")
    combobox.locator("data").filter(has_text=re.compile(rf"^{re.escape(option)}$")).wait_for()
