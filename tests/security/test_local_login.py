"""LOCAL_LOGIN=false: the password form is for break-glass superusers only."""

import pytest
from django.test import Client
from pytest_django.fixtures import Settings as SettingsWrapper

from issues.models import AuditEvent, User
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _login(client: Client, username: str) -> object:
    return client.post("/login/", {"username": username, "password": "test-password-1"})


def test_local_login_off_refuses_non_superusers_with_the_right_password(
    client: Client, settings: SettingsWrapper
) -> None:
    settings.LOCAL_LOGIN = False
    make_user("management", username="forvalter", is_staff=True)
    response = _login(client, "forvalter")
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "Innlogging med passord er bare for administratorer" in response.content.decode()  # type: ignore[attr-defined]
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.get(action="login.failure")
    assert event.details == {"reason": "local_login_disabled", "method": "password"}
    # The admin's own login form uses the same backend: no way round it there.
    admin = client.post("/admin/login/", {"username": "forvalter", "password": "test-password-1"})
    assert admin.status_code == 200
    assert "_auth_user_id" not in client.session


def test_local_login_off_still_lets_a_superuser_in(
    client: Client, settings: SettingsWrapper
) -> None:
    settings.LOCAL_LOGIN = False
    User.objects.create_superuser("breakglass", "root@example.org", "test-password-1")
    assert _login(client, "breakglass").status_code == 302  # type: ignore[attr-defined]
    event = AuditEvent.objects.get(action="login.success")
    assert event.details == {"method": "password"}


def test_local_login_on_is_the_laptop_default(client: Client) -> None:
    make_user("reporter", username="kari")
    assert _login(client, "kari").status_code == 302  # type: ignore[attr-defined]
