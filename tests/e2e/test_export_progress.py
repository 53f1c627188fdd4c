"""A large export from the escalation page in a real browser: the progress page, its polling, the
download, and the failure, axe-clean at a laptop's and a phone's width."""

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.fixtures import Settings as SettingsWrapper

from bott_tracker.celery import app as celery_app
from issues.models import ExportLog, ExportState
from tests.e2e.conftest import assert_accessible, choose, login
from tests.factories import make_defect, make_user

pytestmark = pytest.mark.django_db(transaction=True)

SIZES = {"laptop": (1366, 768), "phone": (390, 844)}
SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"


@pytest.fixture(autouse=True)
def small_limit(settings: SettingsWrapper) -> Iterator[None]:
    settings.EXPORT_SYNC_MAX_ROWS = {"csv": 1, "xlsx": 1}
    # The job runs in the request's on_commit, as on a laptop, with or without a Redis broker:
    # a real worker's run is tests/issues/test_export_jobs.py's.
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = eager


def _look(page: Page, name: str) -> None:
    """axe-clean, no sideways scrolling, and a screenshot for a person to look at."""
    page.wait_for_load_state("networkidle")
    assert_accessible(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    width = page.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{page.url} scrolls sideways: {width}"


@pytest.mark.parametrize("size", list(SIZES))
def test_a_large_export_ends_on_its_progress_page(
    browser: Browser, live_server: Any, size: str
) -> None:
    liaison = make_user("liaison", username="dfo-kontakt")
    for i in range(3):
        make_defect(liaison, title=f"Lønn {i}", facts={"blocks_pay": True})
    make_defect(liaison, title="Annet")
    width, height = SIZES[size]
    context = browser.new_context(
        base_url=live_server.url, locale="nb-NO", viewport={"width": width, "height": height}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    login(page, "dfo-kontakt")
    page.goto("/eskalering/")
    choose(page, "Nivå", "1")
    expect(page.locator("#result-count")).to_have_text("3 saker passer filteret")
    page.get_by_role("button", name="Eksporter 3 saker som Excel (XLSX)").click()

    # The job ran eagerly: it is done by the time the page opens.
    expect(page.get_by_role("heading", level=1)).to_have_text("Eksport av saker")
    assert re.search(r"/eskalering/eksportjobb/\d+/side/\?tier=1$", page.url)
    expect(page.get_by_text("XLSX-fil med 3 saker.", exact=False)).to_be_visible()
    expect(page.locator("progress")).to_have_attribute("value", "3")
    link = page.get_by_role("link", name="Last ned fila (3 saker)")
    expect(link).to_be_visible()
    _look(page, f"export-done-{size}")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".xlsx")

    # The same job, failed: the message and the way back to the same filter.
    log = ExportLog.objects.get()
    ExportLog.objects.filter(pk=log.pk).update(
        state=ExportState.FAILED, rows_written=2, error="row count"
    )
    page.reload()
    expect(page.get_by_role("heading", name="Eksporten feilet")).to_be_visible()
    _look(page, f"export-failed-{size}")
    page.get_by_role("link", name="Prøv igjen fra eskaleringssiden med samme filter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Eskalering til DFØ")
    expect(page.locator("#result-count")).to_have_text("3 saker passer filteret")
    context.close()


def test_the_page_polls_until_the_job_is_done_and_says_so(page: Page) -> None:
    manager = make_user("management", username="leder")
    job = ExportLog.objects.create(
        user=manager, format="csv", row_count=12_345, state=ExportState.QUEUED
    )
    login(page, "leder")
    page.goto(f"/eskalering/eksportjobb/{job.pk}/side/")
    expect(page.get_by_text("I kø – eksporten starter straks.")).to_be_visible()
    assert page.get_by_role("link", name=re.compile("Last ned fila")).count() == 0
    _look(page, "export-queued-laptop")

    ExportLog.objects.filter(pk=job.pk).update(state=ExportState.DONE, rows_written=12_345)
    link = page.get_by_role("link", name="Last ned fila (12\u202f345 saker)")
    expect(link).to_be_visible(timeout=5_000)
    expect(page.get_by_role("status").filter(has_text="Eksporten er klar")).to_have_text(
        "Eksporten er klar. Last ned fila (12\u202f345 saker)."
    )
    # Done: no more requests for the fragment.
    polls: list[str] = []
    page.on("request", lambda request: polls.append(request.url))
    page.wait_for_timeout(2_500)
    assert [url for url in polls if "/framdrift/" in url] == []
    assert_accessible(page)
