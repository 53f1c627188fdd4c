"""The reporter's journey in a real browser: suggestions, "affects us too", filing, keyboard only."""

from pathlib import Path

import pytest
from playwright.sync_api import FilePayload, Page, expect
from pytest_django.fixtures import Settings as SettingsWrapper

from issues.models import AffectsUs, Attachment, Defect, User
from issues.services.comments import comment_create
from issues.services.defects import defect_transition
from issues.services.participation import follow_set
from priorities.rules import FACTS
from tests.e2e.conftest import assert_accessible, login
from tests.factories import make_defect, make_user
from tests.issues import files

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _media(settings: SettingsWrapper, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def known_defect() -> Defect:
    other = make_user("reporter", institution="UiB", username="melder-uib")
    manager = make_user("management", institution="NTNU", username="forvalter")
    defect = make_defect(
        other,
        title="Fakturaer blir liggende i arbeidsflyt",
        workaround="Send fakturaen manuelt til attestant.",
    )
    return defect_transition(defect=defect, actor=manager, to_status="triaged")


@pytest.fixture
def kari() -> User:
    return make_user("reporter", institution="UiO", username="kari")


def answer_facts(page: Page, yes: set[str]) -> None:
    for fact in FACTS:
        group = page.get_by_role("group", name=fact.question_nb)
        group.get_by_label("Ja" if fact.name in yes else "Nei", exact=True).check()


def test_suggestion_affects_us_then_new_report_with_attachment(
    page: Page, kari: User, known_defect: Defect
) -> None:
    login(page, "kari")
    page.get_by_role("link", name="Meld feil").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meld feil eller mangel")
    assert_accessible(page)

    page.get_by_label("Område").select_option(label="Behov til betaling (innkjøp og faktura)")
    # The category choices follow the area (htmx swaps the select).
    category = page.get_by_label("Kategori")
    expect(category.locator("option", has_text="Fakturabehandling")).to_have_count(1)
    expect(category.locator("option", has_text="Signering")).to_have_count(0)

    page.get_by_label("Tittel").press_sequentially("faktura", delay=20)
    suggestions = page.locator("#suggestions")
    expect(suggestions).to_contain_text(known_defect.key)
    expect(suggestions).to_contain_text("Send fakturaen manuelt til attestant.")
    assert_accessible(page)
    suggestion = suggestions.locator(f"#suggestion-{known_defect.pk}")
    suggestion.get_by_role("button", name="Gjelder oss også").click()
    expect(suggestions).to_contain_text("Registrert")
    record = AffectsUs.objects.get(defect=known_defect)
    assert record.user_id == kari.pk
    assert record.institution_id == kari.institution_id

    # A different defect, so a new report after all.
    page.get_by_label("Tittel").fill("Innkjøpsordre kan ikke godkjennes av BDM")
    category.select_option(label="Bestilling")
    page.get_by_label("Beskrivelse", exact=True).fill("Knappen **Godkjenn** gjør ingenting.")
    page.get_by_role("button", name="Forhåndsvis beskrivelsen").click()
    expect(page.locator("#preview strong")).to_have_text("Godkjenn")
    answer_facts(page, {"blocks_delivery", "frustration"})
    page.get_by_label("Ekstra timer per uke (per person)").fill("1,5")
    page.get_by_label("Antall berørte personer").fill("12")
    page.get_by_label("Vedlegg (valgfritt)").set_input_files(
        [FilePayload(name="feilmelding.png", mimeType="image/png", buffer=files.png_bytes())]
    )
    page.get_by_role("button", name="Send inn").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Takk! Saken er registrert")
    expect(page.get_by_role("heading", level=2, name="Nivå 1")).to_be_visible()
    expect(page.locator(".tier-box")).to_contain_text("Hindrer rett leveranse")
    assert_accessible(page)
    defect = Defect.objects.get(reporter=kari)
    assert defect.tier == 1
    assert defect.people_affected == 12
    attachment = Attachment.objects.get(defect=defect)
    assert attachment.original_name == "feilmelding.png"

    page.get_by_role("link", name="Gå til saken").click()
    expect(page.get_by_role("link", name="feilmelding.png")).to_be_visible()
    assert_accessible(page)


def test_the_whole_report_can_be_filed_with_the_keyboard(page: Page, kari: User) -> None:
    login(page, "kari")
    page.goto("/meld/")
    keyboard = page.keyboard

    def tab_to(element_id: str, limit: int = 80) -> None:
        for _ in range(limit):
            keyboard.press("Tab")
            if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
                return
        raise AssertionError(f"Tab never reached #{element_id}")

    tab_to("id_area")
    keyboard.type("Time")  # type-ahead in a focused select: "Time- og oppdragsavtaler"
    expect(page.get_by_label("Område")).to_have_value(
        page.get_by_label("Område")
        .locator("option", has_text="Time- og oppdragsavtaler")
        .get_attribute("value")
        or ""
    )
    # Wait for htmx to narrow the categories to the area's own.
    # Type-ahead passes "Tilganger" on the way, so wait for the last area's categories only.
    categories = page.get_by_label("Kategori").locator("option")
    expect(categories.filter(has_text="Signering")).to_have_count(1)
    expect(categories.filter(has_text="Varemottak")).to_have_count(0)
    expect(categories.filter(has_text="Nyansatte")).to_have_count(0)
    tab_to("id_category")
    keyboard.type("Signering")
    tab_to("id_title")
    keyboard.type("Signering av timelønnskontrakt henger")
    tab_to("id_description")
    keyboard.type("Kontrakten blir stående i signeringsløsningen.")
    for fact in FACTS:
        tab_to(f"id_{fact.name}_0")  # "Ja"; no answer yet, so Tab lands on the first radio
        if fact.name == "blocks_pay":
            keyboard.press("Space")
        else:
            keyboard.press("ArrowRight")  # moves to and checks "Nei"
    tab_to("id_extra_hours_per_week")
    keyboard.press("Control+A")
    keyboard.type("2")
    tab_to("id_people_affected")
    keyboard.press("Control+A")
    keyboard.type("30")
    for _ in range(40):
        keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Send inn":
            break
    keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Takk! Saken er registrert")
    defect = Defect.objects.get(reporter=kari)
    assert defect.tier == 1
    assert defect.blocks_pay
    assert not defect.frustration
    assert defect.category is not None
    assert defect.category.name_nb == "Signering"


def test_errors_are_shown_accessibly_and_input_kept(page: Page, kari: User) -> None:
    login(page, "kari")
    page.goto("/meld/")
    page.get_by_label("Tittel").fill("Kort")
    page.get_by_label("Antall berørte personer").fill("0")
    page.get_by_label("Vedlegg (valgfritt)").set_input_files(
        [FilePayload(name="side.png", mimeType="image/png", buffer=b"<html>1</html>")]
    )
    page.get_by_role("button", name="Send inn").click()
    summary = page.locator(".ds-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Velg hvilket område feilen gjelder.")
    expect(summary).to_contain_text("Svar ja eller nei.")
    expect(summary).to_contain_text("Velg filene på nytt")
    expect(page.get_by_label("Tittel")).to_have_value("Kort")
    expect(page.get_by_label("Antall berørte personer")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    assert Defect.objects.count() == 0


def test_personal_data_warning_is_accessible(page: Page, kari: User) -> None:
    from tests.issues.pd_numbers import first_national_id

    login(page, "kari")
    page.goto("/meld/")
    page.get_by_label("Område").select_option(label="Tilganger")
    page.get_by_label("Tittel").fill("Nyansatt får ikke tilgang")
    page.get_by_label("Beskrivelse", exact=True).fill(f"Gjelder {first_national_id('150385')}")
    answer_facts(page, set())
    page.get_by_role("button", name="Send inn").click()
    expect(page.locator("#personal-data")).to_contain_text("Ser ut som personopplysninger")
    assert_accessible(page)
    page.get_by_label("Masker numrene (erstatt sifrene med *)").check()
    page.get_by_role("button", name="Send inn").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Takk! Saken er registrert")
    assert "*" * 11 in Defect.objects.get().description


def test_known_defects_detail_and_lists_are_accessible(
    page: Page, kari: User, known_defect: Defect
) -> None:
    comment_create(
        defect=known_defect, author=kari, body="Samme hos oss. <script>alert(1)</script> **Viktig**"
    )
    follow_set(defect=known_defect, user=kari, follow=True)
    own = make_defect(kari, title="Gjestetilgang forsvinner etter 30 dager")
    login(page, "kari")
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kjente feil og løsninger")
    expect(
        page.get_by_role("link", name=f"{known_defect.key} {known_defect.title}")
    ).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name=f"{known_defect.key} {known_defect.title}").click()
    expect(page.locator(".comment strong")).to_have_text("Viktig")
    assert_accessible(page)
    page.get_by_role("button", name="Gjelder oss også").click()
    expect(page.get_by_role("status")).to_contain_text("gjelder også UiO")
    page.get_by_label("Ny kommentar").fill("")
    page.get_by_role("button", name="Legg til kommentar").click()
    expect(page.get_by_text("Kommentaren kan ikke være tom.")).to_be_visible()
    assert_accessible(page)

    for link, expected in (("Mine saker", own.title), ("Saker jeg følger", known_defect.title)):
        page.get_by_role("link", name=link).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(link)
        expect(page.get_by_text(expected)).to_be_visible()
        assert_accessible(page)


# "fakturaen" finds "Fakturaer ..." through PostgreSQL's Norwegian stemming; SQLite has none yet.
@pytest.mark.postgres
def test_known_defects_search_finds_other_word_forms(
    page: Page, kari: User, known_defect: Defect
) -> None:
    other = defect_transition(
        defect=make_defect(kari, title="Gjestetilgang forsvinner etter 30 dager"),
        actor=User.objects.get(username="forvalter"),
        to_status="triaged",
    )
    other_link = page.get_by_role("link", name=f"{other.key} {other.title}")
    login(page, "kari")
    page.goto("/")
    expect(other_link).to_be_visible()
    page.get_by_label("Søk", exact=True).fill("fakturaen")
    page.get_by_role("button", name="Søk", exact=True).click()
    expect(
        page.get_by_role("link", name=f"{known_defect.key} {known_defect.title}")
    ).to_be_visible()
    expect(other_link).to_have_count(0)  # the search did narrow the list
    assert_accessible(page)


def test_phone_width_report_form_is_accessible(
    browser: object, live_server: object, kari: User
) -> None:
    from playwright.sync_api import Browser

    assert isinstance(browser, Browser)
    context = browser.new_context(
        base_url=live_server.url,  # type: ignore[attr-defined]
        locale="nb-NO",
        viewport={"width": 375, "height": 740},
    )
    page = context.new_page()
    try:
        login(page, "kari")
        page.goto("/meld/")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        assert_accessible(page)
    finally:
        context.close()
