from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from issues.models import Frequency
from issues.selectors.digests import digest_subscribed
from issues.services.preferences import (
    DIGEST_TARGET,
    frequencies_for,
    unsubscribe_apply,
    unsubscribe_token,
    unsubscribe_url,
)
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


def test_digest_turned_back_on_from_the_page(page: Page) -> None:
    user = make_user("management", username="forvalter")
    unsubscribe_apply(unsubscribe_token(user, DIGEST_TARGET))
    login(page, "forvalter")
    page.get_by_role("link", name="Varsler", exact=True).click()
    digest = page.get_by_label("Sammendrag til forvaltningsteamet og DFØ-kontakten")
    expect(digest).to_have_value("off")
    assert_accessible(page)
    digest.select_option("weekly")
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_role("status")).to_contain_text("lagret")
    assert digest_subscribed(user) is True
