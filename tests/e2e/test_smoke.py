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


def test_the_bad_request_page_is_accessible_and_says_what_is_wrong(page: Page) -> None:
    # Issue 16: a NUL in the input is refused before any view runs, with a page of its own.
    make_user("reporter", username="per")
    login(page, "per")
    response = page.goto("/?q=a%00b")
    assert response is not None
    assert response.status == 400
    assert page.get_by_role("heading", level=1).inner_text() == "Ugyldig forespørsel"
    assert "null-tegn" in page.get_by_role("main").inner_text()
    assert_accessible(page)
