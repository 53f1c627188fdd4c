"""Every main page at a laptop (1366×768) and a phone (390×844): axe-clean, no horizontal
scrolling, and a screenshot under test-results/screenshots/ for a person to look at."""

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from issues.models import Defect
from issues.services.comments import comment_create
from tests.e2e.conftest import assert_accessible, login
from tests.factories import make_defect, make_user

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
SIZES = {"laptop": (1366, 768), "phone": (390, 844)}


def _world() -> Defect:
    make_user(
        "management", institution="NTNU", username="leder", first_name="Kari", last_name="Leder"
    )
    reporter = make_user("reporter", institution="UiO", username="melder")
    defect = None
    for i, area in enumerate(["BTB", "TOA", "BTB"] * 8):
        defect = make_defect(
            reporter,
            title=f"Leverandørfaktura med lang tittel som må brytes pent nummer {i}",
            area_code=area,
        )
    assert defect is not None
    comment_create(defect=defect, author=reporter, body="Gjelder også fakturaer fra utlandet.")
    return defect


def _check(page: Page, name: str, size: str, problems: list[str]) -> None:
    page.wait_for_load_state("networkidle")
    try:
        assert_accessible(page)
    except AssertionError as exc:
        problems.append(str(exc))
    overflow = page.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{size}.png"), full_page=True)
    if overflow[0] > overflow[1]:
        problems.append(f"{name} scrolls sideways at {size}: {overflow}")


def _sweep(browser: Browser, live_server: Any, size: str, user: str, pages: dict[str, str]) -> None:
    """Every page as ``user`` at ``size``: axe-clean, no sideways scroll, a screenshot each."""
    width, height = SIZES[size]
    context = browser.new_context(
        base_url=live_server.url, locale="nb-NO", viewport={"width": width, "height": height}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    login(page, user)
    problems: list[str] = []
    for name, path in pages.items():
        page.goto(path)
        _check(page, name, size, problems)
    context.close()
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("size", list(SIZES))
def test_management_pages(browser: Browser, live_server: Any, size: str) -> None:
    defect = _world()
    pages = {
        "queue": "/triage/",
        "queue-filtered": f"/triage/?area={defect.area_id}&status=new&sort=-age",
        "triage-defect": f"/triage/feil/{defect.pk}/",
        "escalation": "/eskalering/",
        "meeting": "/triage/mote/",
        "dashboard": "/oversikt/",
        "not-found": "/finnes-ikke/",
    }
    _sweep(browser, live_server, size, "leder", pages)


@pytest.mark.parametrize("size", list(SIZES))
def test_reporter_pages(browser: Browser, live_server: Any, size: str) -> None:
    defect = _world()
    pages = {
        "known": "/",
        "report": "/meld/",
        "mine": "/mine/",
        "defect": f"/feil/{defect.pk}/",
        "forbidden": "/triage/",
    }
    _sweep(browser, live_server, size, "melder", pages)
