"""Issue 16: with Redis unreachable, login answers a clear 503 and token API calls still work."""

import socket

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings as SettingsWrapper

from issues.models import User
from issues.services.api_tokens import api_token_create
from tests.factories import make_defect, make_user


@pytest.fixture
def redis_down(settings: SettingsWrapper) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
        }
    }


@pytest.mark.django_db
@pytest.mark.usefixtures("redis_down")
def test_login_with_redis_down_is_a_503_with_retry_after(reporter: User) -> None:
    response = Client(raise_request_exception=False).post(
        "/login/",
        {"username": reporter.username, "password": "test-password-1"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 503
    assert response["Retry-After"]
    assert b"temporarily unavailable" in response.content


@pytest.mark.django_db
@pytest.mark.usefixtures("redis_down")
def test_token_api_calls_work_without_the_rate_limiter(reporter: User) -> None:
    token = api_token_create(user=reporter, name="t")[1]
    response = Client(raise_request_exception=False).get(
        "/api/v1/defects/", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.usefixtures("redis_down")
@pytest.mark.parametrize("name", ["feide-login", "feide-callback"])
def test_feide_login_with_redis_down_is_a_503_with_retry_after(
    settings: SettingsWrapper, name: str
) -> None:
    # The throttle is asked before the provider: no provider is needed to see the answer.
    settings.OIDC_ISSUER = "https://auth.example.invalid"
    response = Client(raise_request_exception=False).get(reverse(name), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503
    assert response["Retry-After"]
    assert b"temporarily unavailable" in response.content


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("redis_down")
def test_cached_pages_render_without_the_cache() -> None:
    """The queue, meeting view and dashboard keep parts in the cache; with Redis gone they are
    rendered from the database instead of failing."""
    make_defect(make_user("reporter"), title="Faktura stopper")
    client = Client(raise_request_exception=False)
    client.force_login(make_user("management"))
    for url in ("/triage/", "/triage/mote/", "/oversikt/"):
        response = client.get(url)
        assert response.status_code == 200, url
    assert b"Faktura stopper" in client.get("/triage/").content
