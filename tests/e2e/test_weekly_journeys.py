"""Issue 12's journeys: the weekly triage meeting by keyboard only, a report with a validation
error, and a report on a phone. Every page on the way is axe-clean and never scrolls sideways."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, FilePayload, Page, expect
from pytest_django.fixtures import Settings as SettingsWrapper

from issues.models import Area, Attachment, Defect, DefectStatus
from tests.e2e.conftest import assert_accessible, choose, login
from tests.e2e.test_reporting import answer_facts
from tests.factories import make_defect, make_user
from tests.issues import files

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _media(settings: SettingsWrapper, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def tab_to(page: Page, check: str, limit: int = 80) -> None:
    """Press Tab until ``check`` (JS, given the focused element) is true."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => {check})(document.activeElement)"):
            return
    raise AssertionError(f"never reached by Tab: {check}")


def no_sideways_scroll(page: Page) -> None:
    # A click on a link returns before the next page exists; measuring then reads a document
    # that has no scrolling element yet (CI run 18 failed that way). Wait for it to load.
    page.wait_for_load_state("load")
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{page.url} scrolls sideways: {widths}"


def test_weekly_triage_by_keyboard_only(page: Page) -> None:
    page.set_viewport_size({"width": 1366, "height": 768})
    make_user("management", institution="NTNU", username="leder")
    uio = make_user("reporter", institution="UiO")
    btb = [make_defect(uio, title=f"Faktura avvist {i}", area_code="BTB") for i in range(3)]
    make_defect(uio, title="Timeliste låst", area_code="TOA")
    area = Area.objects.get(code="BTB")
    login(page, "leder")
    page.goto("/triage/")
    assert_accessible(page)

    _filter_by_keyboard(page, area)
    _change_status_and_come_back(page, btb[0], area)
    _bulk_triage_by_keyboard(page, btb[1:])

    # The escalation page shows how many the export will hold before it is made.
    page.goto(f"/eskalering/?area={area.pk}")
    expect(page.get_by_role("button", name="Eksporter 3 saker som Excel (XLSX)")).to_be_visible()
    assert_accessible(page)


def _filter_by_keyboard(page: Page, area: Area) -> None:
    """The combobox: type, arrow into the list, Enter; the choice becomes a chip."""
    tab_to(page, "el.id === 'id_area'")
    page.keyboard.type(str(area)[:6])
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.locator("u-combobox data", has_text=str(area))).to_have_count(1)
    tab_to(page, "el.textContent.trim() === 'Bruk filter'")
    page.keyboard.press("Enter")
    expect(page.locator("#result-count")).to_have_text("3 saker passer filteret")
    expect(page.get_by_role("link", name=f"Fjern filteret Område: {area}")).to_be_visible()
    assert_accessible(page)
    no_sideways_scroll(page)


def _change_status_and_come_back(page: Page, first: Defect, area: Area) -> None:
    tab_to(page, f"el.textContent.trim() === '{first.key}'")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(first.title)
    assert_accessible(page)
    tab_to(page, "el.id === 'id_to_status'")
    page.keyboard.press("ArrowDown")
    chosen = page.locator("#id_to_status").input_value()
    tab_to(page, "el.textContent.trim() === 'Endre status'")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Statusen er endret.")
    first.refresh_from_db()
    assert first.status == chosen
    page.keyboard.press("Shift+Tab")  # from wherever focus is, back to the top of the page
    page.locator("main").focus()
    tab_to(page, "el.textContent.trim() === 'Tilbake til triagekøen'")
    page.keyboard.press("Enter")
    expect(page.locator("#result-count")).to_have_text("3 saker passer filteret")
    assert f"area={area.pk}" in page.url


def _bulk_triage_by_keyboard(page: Page, rows: list[Defect]) -> None:
    for defect in rows:
        tab_to(page, f"el.id === 'sel-{defect.pk}'")
        page.keyboard.press("Space")
    tab_to(page, "el.id === 'id_to_status' || el.name === 'to_status'")
    page.keyboard.press("ArrowDown")  # "Ny"
    page.keyboard.press("ArrowDown")  # "Vurdert"
    tab_to(page, "el.textContent.trim() === 'Utfør på valgte'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_accessible(page)
    expect(page.locator("main")).to_contain_text("2 saker ble endret.")
    statuses = set(Defect.objects.filter(pk__in=[d.pk for d in rows]).values_list("status"))
    assert statuses == {(DefectStatus.TRIAGED,)}


def test_report_form_with_a_validation_error_keeps_both_attachments(page: Page) -> None:
    make_user("reporter", institution="UiO", username="kari")
    login(page, "kari")
    page.goto("/meld/")
    # The browser refuses an 11 MB file before uploading a byte.
    big = FilePayload(name="stor.pdf", mimeType="application/pdf", buffer=b"%PDF" * (11 * 2**18))
    page.get_by_label("Vedlegg (valgfritt)").set_input_files([big])
    expect(page.locator("#id_attachments_client_error")).to_contain_text("stor.pdf er større enn")
    assert page.locator("#id_attachments").evaluate("el => el.files.length") == 0
    page.get_by_label("Vedlegg (valgfritt)").set_input_files(
        [
            FilePayload(name="feil.png", mimeType="image/png", buffer=files.png_bytes()),
            FilePayload(name="logg.txt", mimeType="text/plain", buffer=b"feilkode 42\n"),
        ]
    )
    expect(page.locator("#id_attachments_client_error")).to_have_text("")
    # Submit without a title: the server says what is missing and keeps what was given.
    page.get_by_label("Område").select_option(label="Tilganger")
    page.get_by_label("Beskrivelse", exact=True).fill("Knappen gjør ingenting.")
    page.get_by_role("button", name="Send inn").click()
    expect(page.locator(".ds-error-summary")).to_be_focused()
    expect(page.get_by_label("Beskrivelse", exact=True)).to_have_value("Knappen gjør ingenting.")
    kept = page.locator("#held-files")
    expect(kept).to_contain_text("Disse 2 vedleggene er tatt vare på")
    expect(kept).to_contain_text("feil.png")
    expect(kept).to_contain_text("logg.txt")
    assert_accessible(page)
    assert Defect.objects.count() == 0
    # Correct the form without choosing the files again.
    page.get_by_label("Tittel").fill("Knappen for tilgang gjør ingenting")
    answer_facts(page, set())
    page.get_by_role("button", name="Send inn").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Takk! Saken er registrert")
    names = set(
        Attachment.objects.filter(defect__reporter__username="kari").values_list(
            "original_name", flat=True
        )
    )
    assert names == {"feil.png", "logg.txt"}


def test_phone_sized_report(browser: Browser, live_server: object) -> None:
    make_user("reporter", institution="UiO", username="kari")
    context = browser.new_context(
        base_url=live_server.url,  # type: ignore[attr-defined]
        locale="nb-NO",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    login(page, "kari")
    no_sideways_scroll(page)
    page.get_by_role("button", name="Meny").click()
    page.get_by_role("link", name="Meld feil").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meld feil eller mangel")
    no_sideways_scroll(page)
    assert_accessible(page)
    page.get_by_label("Område").select_option(label="Tilganger")
    page.get_by_label("Tittel").fill("Nyansatt får ikke tilgang til reiseregning")
    page.get_by_label("Beskrivelse", exact=True).fill("Får feilmelding ved innlogging.")
    answer_facts(page, set())
    page.get_by_role("button", name="Send inn").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Takk! Saken er registrert")
    no_sideways_scroll(page)
    page.get_by_role("link", name="Gå til saken").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("reiseregning")
    no_sideways_scroll(page)
    assert_accessible(page)
    assert re.search(r"/feil/\d+/$", page.url)
    context.close()


def test_escalation_count_follows_the_filter_live(page: Page) -> None:
    make_user("liaison", username="dfo-kontakt")
    reporter = make_user("reporter")
    make_defect(reporter, title="Lønn kommer ikke", facts={"blocks_pay": True})
    make_defect(reporter, title="Liten skjønnhetsfeil")
    login(page, "dfo-kontakt")
    page.goto("/eskalering/")
    expect(page.get_by_role("button", name="Eksporter 2 saker som Excel (XLSX)")).to_be_visible()
    choose(page, "Nivå", "1")
    # No submit: the count and the export button follow the chosen filter.
    expect(page.get_by_role("button", name="Eksporter 1 sak som Excel (XLSX)")).to_be_visible()
    expect(page.locator("#result-count")).to_have_text("1 sak passer filteret")
    expect(page.get_by_role("link", name="Fjern filteret Nivå: 1")).to_be_visible()
    assert "tier=1" in page.url
    assert_accessible(page)
