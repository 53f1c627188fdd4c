"""With the real Content-Security-Policy on, no page of ours triggers a violation.

A violation means something on the page (an inline script, a style attribute, a library that
injects a <style> element) is blocked in production and the page probably does not work as
intended. Pages come from the resolver, so pages added later are covered.
"""

from typing import Any

import pytest
from playwright.sync_api import ConsoleMessage, Page
from playwright.sync_api import Error as PlaywrightError
from pytest_django.fixtures import Settings as SettingsWrapper

from tests.crawl import Objects, crawl_paths
from tests.e2e.conftest import login
from tests.factories import make_user
from tests.security.conftest import build_world

pytestmark = pytest.mark.django_db(transaction=True)

ADMIN_PAGES = ("admin:index", "admin:issues_defect_changelist", "admin:issues_defect_change")
INLINE_SCRIPT = """() => {
  const script = document.createElement('script');
  script.textContent = 'window.inlineRan = true';
  document.head.appendChild(script);
}"""


def _record_violations(page: Page, violations: list[str]) -> None:
    def on_console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            violations.append(f"{page.url}: {message.text[:200]}")

    page.on("console", on_console)


def test_no_page_violates_the_content_security_policy(
    page: Page, live_server: Any, settings: SettingsWrapper, tmp_path: Any
) -> None:
    world = build_world(tmp_path, settings)
    make_user("management", username="leder", is_staff=True, is_superuser=True)
    filled, unfillable = crawl_paths(Objects(world.defect, world.extra))
    assert unfillable == []
    paths = [
        path
        for endpoint, path in filled
        if not endpoint.name.endswith("logout")
        and (not endpoint.is_admin or endpoint.name in ADMIN_PAGES)
    ]
    violations: list[str] = []
    _record_violations(page, violations)
    login(page, "leder")
    visited = 0
    for path in paths:
        try:
            page.goto(path)
        except PlaywrightError:
            continue  # an empty error response (405) or a download is no page
        page.wait_for_load_state("networkidle")
        visited += 1
    assert visited >= len(ADMIN_PAGES)
    assert violations == [], "\n".join(violations)


def test_the_recorder_hears_a_violation(page: Page) -> None:
    """The crawl's recorder does report a violation: an inline script added to a page."""
    violations: list[str] = []
    _record_violations(page, violations)
    page.goto("/login/")
    with page.expect_console_message(lambda m: "Content Security Policy" in m.text):
        page.evaluate(INLINE_SCRIPT)
    assert len(violations) == 1
    assert "script-src" in violations[0]
    assert page.evaluate("window.inlineRan") is None  # and the script was blocked
