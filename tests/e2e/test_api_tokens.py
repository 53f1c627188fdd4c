import pytest
from playwright.sync_api import Page, expect

from issues.models import ApiToken
from tests.e2e.conftest import assert_accessible, login
from tests.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_token_page_creates_shows_once_and_revokes_by_keyboard(page: Page) -> None:
    make_user("reporter", username="skript")
    login(page, "skript")
    page.goto("/api-tokens/")
    assert_accessible(page)
    # Submitting without a name keeps the user on the page with a message next to the field.
    page.get_by_role("button", name="Lag nøkkel").click()
    expect(page.locator("#name-error")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Navn på nøkkelen").fill("Ukesrapport")
    page.get_by_label("Navn på nøkkelen").press("Enter")
    token = page.get_by_label("Din nye API-nøkkel").input_value()
    assert token.startswith("bott_")
    assert_accessible(page)
    page.goto("/api-tokens/")
    # The list, with the key on it.
    expect(page.get_by_role("cell", name="Ukesrapport", exact=True)).to_be_visible()
    assert token not in page.content()
    revoke = page.get_by_role("button", name="Trekk tilbake «Ukesrapport»")
    revoke.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("cell", name="Trukket tilbake")).to_be_visible()
    assert ApiToken.objects.get().revoked is not None
    assert_accessible(page)


def test_api_docs_load_without_inline_scripts(page: Page) -> None:
    make_user("reporter", username="docs")
    login(page, "docs")
    response = page.goto("/api/docs/")
    assert response is not None
    assert response.ok
    inline = page.evaluate("[...document.scripts].filter(s => !s.src).length")
    assert inline == 0
    expect(page.get_by_text("BOTT Tracker API").first).to_be_visible()
