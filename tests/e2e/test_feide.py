"""Feide login in Chromium against a real OpenID provider process (tests/oidc_provider)."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings as SettingsWrapper

from issues.models import AuditEvent, User
from issues.permissions import GROUP_REPORTER
from tests.e2e.conftest import assert_accessible
from tests.oidc_provider.running import (
    CLIENT_ID,
    CLIENT_SECRET,
    PASSWORD,
    USERS,
    RunningProvider,
    start_provider,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def provider(
    tmp_path: Path, settings: SettingsWrapper, live_server: Any
) -> Iterator[RunningProvider]:
    running = start_provider(tmp_path, live_server.url)
    settings.OIDC_ISSUER = running.issuer
    settings.OIDC_CLIENT_ID = CLIENT_ID
    settings.OIDC_CLIENT_SECRET = CLIENT_SECRET
    try:
        yield running
    finally:
        running.stop()


def sign_in_at_feide(page: Page, username: str) -> None:
    page.get_by_label("Feide-brukernavn").fill(username)
    page.get_by_label("Feide-passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn hos Feide").click()


def test_uib_user_logs_in_is_updated_at_the_next_login_and_logs_out_of_both(
    page: Page, provider: RunningProvider
) -> None:
    page.goto("/login/")
    assert_accessible(page)
    page.get_by_role("link", name="Logg inn med Feide").click()
    sign_in_at_feide(page, "ola")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kjente feil og løsninger")
    user = User.objects.get(feide_id="ola.nordmann@uib.no")
    assert user.institution is not None
    assert user.institution.code == "UiB"
    assert list(user.groups.values_list("name", flat=True)) == [GROUP_REPORTER]
    assert user.get_full_name() == "Ola Nordmann"

    page.get_by_role("button", name="Logg ut").click()
    expect(page.get_by_role("link", name="Logg inn med Feide")).to_be_visible()
    assert provider.events()[-1] == {"event": "end_session", "id_token_hint_valid": True}
    assert AuditEvent.objects.filter(action="logout", actor=user).count() == 1

    # Feide changed the name; the Feide session ended, so the provider asks for the password.
    provider.set_users({**USERS, "ola": {**USERS["ola"], "name": "Ola Nordmann-Vik"}})
    page.get_by_role("link", name="Logg inn med Feide").click()
    sign_in_at_feide(page, "ola")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kjente feil og løsninger")
    assert User.objects.filter(feide_id="ola.nordmann@uib.no").count() == 1
    user.refresh_from_db()
    assert user.get_full_name() == "Ola Nordmann-Vik"
    methods = list(
        AuditEvent.objects.filter(action="login.success").values_list("details", flat=True)
    )
    assert methods == [{"method": "feide"}, {"method": "feide"}]


def test_other_realm_gets_an_accessible_refusal_page(page: Page, provider: RunningProvider) -> None:
    page.goto("/login/")
    page.get_by_role("link", name="Logg inn med Feide").click()
    sign_in_at_feide(page, "eva")
    expect(page.get_by_role("heading", level=1)).to_have_text("Innlogging med Feide avvist")
    expect(page.get_by_role("alert")).to_contain_text("eva@example.org")
    assert_accessible(page)
    assert not User.objects.filter(feide_id="eva@example.org").exists()


def test_the_feide_button_and_the_password_form_work_by_keyboard(
    page: Page, provider: RunningProvider
) -> None:
    page.goto("/login/")
    feide = page.get_by_role("link", name="Logg inn med Feide")
    for _step in range(30):
        page.keyboard.press("Tab")
        if feide.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the Feide button")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # opens "Logg inn med brukernavn og passord"
    expect(page.get_by_label("Brukernavn")).to_be_visible()
    assert_accessible(page)
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_label("Feide-brukernavn")).to_be_visible()
