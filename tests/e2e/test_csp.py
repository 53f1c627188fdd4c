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

    def on_console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            violations.append(f"{page.url}: {message.text[:200]}")

    page.on("console", on_console)
    login(page, "leder")
    visited = 0
    for path in paths:
        try:
            page.goto(path)
        except PlaywrightError:
            continue  # an empty error response (405) is no page
        page.wait_for_load_state("networkidle")
        visited += 1
    assert visited >= len(ADMIN_PAGES)
    assert violations == [], "\n".join(violations)
