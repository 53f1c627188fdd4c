"""Feide login over HTTP against a real OpenID provider process (tests/oidc_provider).

The app is driven with Django's test client; its server-side calls (discovery, token, userinfo,
JWKS) go over loopback to the provider, and the "browser" signs in at the provider's own form.
Each refused login must show the refusal page, create nothing, and be in the audit log.
"""

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.test import Client
from pytest_django.fixtures import Settings as SettingsWrapper

from issues.models import AuditEvent, User
from issues.permissions import GROUP_MANAGEMENT, GROUP_REPORTER
from tests.factories import make_user
from tests.oidc_provider.running import CLIENT_ID, CLIENT_SECRET, RunningProvider, start_provider

pytestmark = pytest.mark.django_db

APP = "http://testserver"


@pytest.fixture
def provider(tmp_path: Path, settings: SettingsWrapper) -> Iterator[RunningProvider]:
    running = start_provider(tmp_path, APP)
    settings.OIDC_ISSUER = running.issuer
    settings.OIDC_CLIENT_ID = CLIENT_ID
    settings.OIDC_CLIENT_SECRET = CLIENT_SECRET
    try:
        yield running
    finally:
        running.stop()


def _path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def start(client: Client) -> str:
    response = client.get("/login/feide/")
    assert response.status_code == 302
    return str(response["Location"])


def login_as(client: Client, provider: RunningProvider, username: str) -> tuple[str, object]:
    callback = provider.login(start(client), username)
    assert callback.startswith(f"{APP}/login/feide/callback/?")
    return callback, client.get(_path(callback))


def last_failure() -> AuditEvent:
    event = AuditEvent.objects.filter(action="login.failure").order_by("-pk").first()
    assert event is not None
    return event


def test_the_authorization_request_carries_pkce_state_nonce_and_scopes(
    client: Client, provider: RunningProvider
) -> None:
    query = parse_qs(urlsplit(start(client)).query)
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) >= 43
    assert query["state"][0]
    assert query["nonce"][0]
    assert query["scope"] == ["openid profile email userid-feide"]
    assert query["redirect_uri"] == [f"{APP}/login/feide/callback/"]


def test_first_login_creates_a_reporter_at_the_realms_institution(
    client: Client, provider: RunningProvider
) -> None:
    _callback, response = login_as(client, provider, "ola")
    assert response.status_code == 302  # type: ignore[attr-defined]
    user = User.objects.get(feide_id="ola.nordmann@uib.no")
    assert user.institution is not None
    assert user.institution.code == "UiB"
    assert list(user.groups.values_list("name", flat=True)) == [GROUP_REPORTER]
    assert (user.first_name, user.last_name, user.email) == ("Ola", "Nordmann", "ola@uib.no")
    assert not user.has_usable_password()
    assert client.get("/").status_code == 200
    success = AuditEvent.objects.get(action="login.success")
    assert success.actor == user
    assert success.details == {"method": "feide"}


@pytest.mark.parametrize(
    ("username", "reason"),
    [
        ("eva", "realm"),
        ("wrongaud", "id_token:aud"),
        ("expired", "id_token:exp"),
        ("badnonce", "id_token:nonce"),
        ("rogue", "id_token:signature"),
    ],
)
def test_refused_logins_create_nothing_and_are_audited(
    client: Client, provider: RunningProvider, username: str, reason: str
) -> None:
    users_before = User.objects.count()
    _callback, response = login_as(client, provider, username)
    assert response.status_code == 403  # type: ignore[attr-defined]
    assert "Innlogging med Feide avvist" in response.content.decode()  # type: ignore[attr-defined]
    assert User.objects.count() == users_before
    assert "_auth_user_id" not in client.session
    event = last_failure()
    assert event.details == {"method": "feide", "reason": reason}


def test_other_realm_page_names_the_identity_and_whom_to_contact(
    client: Client, provider: RunningProvider, settings: SettingsWrapper
) -> None:
    settings.SUPPORT_CONTACT = "bott-support@uio.no"
    _callback, response = login_as(client, provider, "eva")
    page = response.content.decode()  # type: ignore[attr-defined]
    assert "eva@example.org" in page
    assert "bare for ansatte ved UiO, UiB, NTNU og UiT" in page
    assert 'href="mailto:bott-support@uio.no"' in page
    assert last_failure().actor_name == "eva@example.org"
    english = Client(headers={"accept-language": "en"})
    _callback, response = login_as(english, provider, "eva")
    assert "only for staff at UiO, UiB, NTNU and UiT" in response.content.decode()  # type: ignore[attr-defined]


def test_a_tampered_state_is_refused(client: Client, provider: RunningProvider) -> None:
    callback = provider.login(start(client), "ola")
    query = parse_qs(urlsplit(callback).query)
    query["state"] = ["forged-" + query["state"][0]]
    response = client.get(f"/login/feide/callback/?{urlencode(query, doseq=True)}")
    assert response.status_code == 403
    assert not User.objects.filter(feide_id="ola.nordmann@uib.no").exists()
    assert last_failure().details == {"method": "feide", "reason": "state"}


def test_a_replayed_authorization_code_is_refused(
    client: Client, provider: RunningProvider
) -> None:
    callback, response = login_as(client, provider, "ola")
    assert response.status_code == 302  # type: ignore[attr-defined]
    used_code = parse_qs(urlsplit(callback).query)["code"][0]
    # An attacker with the used code starts their own login (a fresh, valid state) and swaps it in.
    attacker = Client()
    fresh_state = parse_qs(urlsplit(start(attacker)).query)["state"][0]
    users_before = User.objects.count()
    replay = attacker.get(f"/login/feide/callback/?code={used_code}&state={fresh_state}")
    assert replay.status_code == 403
    assert "_auth_user_id" not in attacker.session
    assert User.objects.count() == users_before
    assert last_failure().details == {"method": "feide", "reason": "provider:invalid_grant"}
    assert provider.events()[-1] == {"event": "token", "error": "invalid_grant"}


def test_the_callback_counts_against_the_address_in_the_login_throttle(
    client: Client, provider: RunningProvider, settings: SettingsWrapper
) -> None:
    settings.LOGIN_THROTTLE_ADDRESS_LIMIT = 2
    for _attempt in range(2):
        assert client.get("/login/feide/callback/?code=x&state=y").status_code == 403
    response = client.get("/login/feide/callback/?code=x&state=y")
    assert response.status_code == 429
    assert client.get("/login/feide/").status_code == 429
    assert last_failure().details == {"method": "feide", "reason": "throttled"}


def test_without_an_issuer_there_is_no_feide_button_and_no_endpoint(
    client: Client, settings: SettingsWrapper
) -> None:
    settings.OIDC_ISSUER = ""
    assert "Logg inn med Feide" not in client.get("/login/").content.decode()
    assert client.get("/login/feide/").status_code == 404
    assert client.get("/login/feide/callback/").status_code == 404


def test_with_an_issuer_the_feide_button_leads_the_login_page(
    client: Client, provider: RunningProvider
) -> None:
    page = client.get("/login/?next=/defects/").content.decode()
    assert 'href="/login/feide/?next=/defects/"' in page
    assert page.index("Logg inn med Feide") < page.index('name="password"')


def test_personal_api_tokens_work_for_a_user_who_came_through_feide(
    client: Client, provider: RunningProvider
) -> None:
    _callback, response = login_as(client, provider, "kari")
    assert response.status_code == 302  # type: ignore[attr-defined]
    page = client.post("/api-tokens/", {"name": "Rapport-skript"})
    assert page.status_code == 200
    raw = page.context["new_token"]
    api = Client()
    answer = api.get("/api/v1/defects/", headers={"authorization": f"Bearer {raw}"})
    assert answer.status_code == 200
    assert "results" in answer.json()
    me = User.objects.get(feide_id="kari@uio.no")
    assert me.api_tokens.filter(revoked__isnull=True).count() == 1


def test_logout_sends_the_browser_to_the_providers_end_session_with_the_id_token(
    client: Client, provider: RunningProvider
) -> None:
    login_as(client, provider, "ola")
    id_token = client.session["feide_id_token"]
    response = client.post("/logout/")
    assert response.status_code == 302
    end_session = urlsplit(response["Location"])
    assert f"{end_session.scheme}://{end_session.netloc}{end_session.path}" == (
        f"{provider.issuer}/end_session"
    )
    query = parse_qs(end_session.query)
    assert query["id_token_hint"] == [id_token]
    assert query["post_logout_redirect_uri"] == [f"{APP}/login/"]
    assert "_auth_user_id" not in client.session
    # A form may be answered by that redirect only if CSP form-action names the provider.
    csp = client.get("/login/")["Content-Security-Policy"]
    assert f"form-action 'self' {provider.issuer}" in csp


def test_a_password_login_logs_out_locally_only(client: Client, provider: RunningProvider) -> None:
    make_user("reporter", username="lokal")
    client.post("/login/", {"username": "lokal", "password": "test-password-1"})
    response = client.post("/logout/")
    assert response["Location"] == "/"


@pytest.mark.parametrize(
    ("groups_url", "group_id"),
    [("", "fc:org:ntnu.no:bott-forvaltning"), ("/groups", "fc:adhoc:bott-forvaltning")],
)
def test_provider_groups_named_in_settings_give_roles(
    client: Client,
    provider: RunningProvider,
    settings: SettingsWrapper,
    groups_url: str,
    group_id: str,
) -> None:
    """From the userinfo claim, or (as Feide does it) from a groups API with the access token."""
    settings.OIDC_GROUPS_URL = f"{provider.issuer}{groups_url}" if groups_url else ""
    settings.OIDC_GROUP_ROLES = {group_id: GROUP_MANAGEMENT}
    login_as(client, provider, "ingrid")
    user = User.objects.get(feide_id="ingrid@ntnu.no")
    assert set(user.groups.values_list("name", flat=True)) == {GROUP_REPORTER, GROUP_MANAGEMENT}
    assert user.institution is not None
    assert user.institution.code == "NTNU"


def test_a_provider_that_cannot_be_reached_gives_the_refusal_page(
    client: Client, provider: RunningProvider
) -> None:
    provider.stop()
    response = client.get("/login/feide/")
    assert response.status_code == 403
    assert "Innlogging med Feide avvist" in response.content.decode()
    assert last_failure().details == {"method": "feide", "reason": "provider:unreachable"}
