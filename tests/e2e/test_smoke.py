import pytest
from playwright.sync_api import Page

from tests.e2e.conftest import assert_accessible, login
from tests.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_login_page_is_accessible_and_login_works(page: Page) -> None:
    make_user("reporter", username="kari")
    page.goto("/login/")
    assert_accessible(page)
    login(page, "kari")
    assert page.get_by_role("heading", level=1).inner_text() == "Kjente feil og løsninger"
    assert_accessible(page)


def test_keyboard_reaches_main_content_through_skip_link(page: Page) -> None:
    make_user("reporter", username="ola")
    login(page, "ola")
    page.goto("/")
    page.keyboard.press("Tab")
    assert "Hopp til hovedinnhold" in page.evaluate("document.activeElement.textContent")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
