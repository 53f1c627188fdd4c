from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from issues.models import Frequency
from issues.services.preferences import frequencies_for, unsubscribe_url
from tests.e2e.conftest import assert_accessible, login
from tests.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_preferences_and_unsubscribe_pages(page: Page) -> None:
    user = make_user("reporter", username="melder")
    login(page, "melder")
    page.get_by_role("link", name="Varsler", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Varsler")
    assert_accessible(page)
    page.get_by_label("Saker jeg følger").select_option("weekly")
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_role("status")).to_contain_text("lagret")
    assert frequencies_for(user)["followed"] == Frequency.WEEKLY

    page.goto(urlsplit(unsubscribe_url(user, "followed")).path)
    assert_accessible(page)
    page.get_by_role("button", name="Meld meg av").click()
    expect(page.get_by_role("status")).to_contain_text("Du er meldt av")
    assert_accessible(page)
    assert frequencies_for(user)["followed"] == Frequency.OFF
