"""Login throttling per account and per address, and the audit trail of logins."""

import http.client
import re
import threading
import urllib.parse
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test import Client
from django.test.testcases import LiveServerThread, _StaticFilesHandler
from pytest_django.fixtures import Settings as SettingsWrapper

from issues import throttle
from issues.models import AuditEvent
from issues.services.audit import LOGIN_FAILURE, LOGIN_SUCCESS, LOGOUT
from tests.factories import make_user

PARALLEL = 50


class _BacklogServer(ThreadedWSGIServer):
    # The default listen backlog (10) makes the kernel reset connections 11-50 of a burst.
    request_queue_size = 128


class _BacklogServerThread(LiveServerThread):
    server_class = _BacklogServer


@pytest.fixture
def burst_server(transactional_db: None) -> Iterator[str]:
    """A threaded live server on loopback that accepts 50 connections at once."""
    thread = _BacklogServerThread("127.0.0.1", _StaticFilesHandler)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()


def _login(client: Client, username: str, password: str) -> Any:
    return client.post("/login/", {"username": username, "password": password})


@pytest.mark.django_db
def test_account_is_locked_after_the_limit_even_with_the_right_password(
    settings: SettingsWrapper,
) -> None:
    settings.LOGIN_THROTTLE_ACCOUNT_LIMIT = 3
    make_user("reporter", username="kari")
    client = Client()
    for _ in range(3):
        response = _login(client, "kari", "feil-passord")
        assert response.status_code == 200
        assert "Vennligst oppgi korrekt" in response.content.decode()
    response = _login(client, "kari", "test-password-1")
    assert response.status_code == 429
    assert "For mange mislykkede innloggingsforsøk" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # The user typed it: the form keeps the user name.
    assert 'value="kari"' in response.content.decode()
    reasons = list(
        AuditEvent.objects.filter(action=LOGIN_FAILURE).values_list("details__reason", flat=True)
    )
    assert sorted(reasons) == ["credentials"] * 3 + ["throttled"]
    throttle.unlock("kari")
    assert _login(client, "kari", "test-password-1").status_code == 302


@pytest.mark.django_db
def test_success_clears_the_account_counter_and_is_audited(settings: SettingsWrapper) -> None:
    settings.LOGIN_THROTTLE_ACCOUNT_LIMIT = 3
    user = make_user("reporter", username="ola")
    client = Client()
    for _ in range(2):
        _login(client, "ola", "feil")
    assert _login(client, "ola", "test-password-1").status_code == 302
    assert throttle.failures("ola", None)["account"] == 0
    event = AuditEvent.objects.get(action=LOGIN_SUCCESS)
    assert event.actor == user
    assert event.ip == "127.0.0.1"
    client.post("/logout/")
    assert AuditEvent.objects.filter(action=LOGOUT, actor=user).count() == 1


def _csrf(base: str) -> tuple[str, str]:
    """A CSRF cookie and the matching form token from the login page."""
    parsed = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(parsed.hostname or "127.0.0.1", parsed.port, timeout=60)
    conn.request("GET", "/login/")
    response = conn.getresponse()
    html = response.read().decode()
    cookie = response.getheader("Set-Cookie") or ""
    conn.close()
    match = re.search(r"csrftoken=([^;]+)", cookie)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match
    assert token
    return match.group(1), token.group(1)


def _parallel_logins(base: str, credentials: list[tuple[str, str]]) -> list[int]:
    """POST every (username, password) at the same moment; the HTTP status of each."""
    cookie, token = _csrf(base)
    parsed = urllib.parse.urlsplit(base)
    start = threading.Barrier(len(credentials))
    statuses: list[int] = [0] * len(credentials)

    def attempt(i: int, username: str, password: str) -> None:
        body = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": token}
        )
        conn = http.client.HTTPConnection(parsed.hostname or "127.0.0.1", parsed.port, timeout=120)
        conn.connect()
        start.wait()
        conn.request(
            "POST",
            "/login/",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={cookie}",
                "Referer": f"{base}/login/",
            },
        )
        statuses[i] = conn.getresponse().status
        conn.close()

    threads = [
        threading.Thread(target=attempt, args=(i, u, p)) for i, (u, p) in enumerate(credentials)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return statuses


def _failures_by_reason() -> dict[str, int]:
    events = AuditEvent.objects.filter(action=LOGIN_FAILURE)
    return {
        reason: events.filter(details__reason=reason).count()
        for reason in ("credentials", "throttled")
    }


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_account_limit_holds_under_50_parallel_attempts(
    burst_server: str, settings: SettingsWrapper
) -> None:
    settings.LOGIN_THROTTLE_ACCOUNT_LIMIT = 5
    settings.LOGIN_THROTTLE_ADDRESS_LIMIT = 1000
    make_user("reporter", username="kari")
    statuses = _parallel_logins(burst_server, [("kari", "feil-passord")] * PARALLEL)
    # Exactly the limit had their password checked; every other attempt was refused.
    assert sorted(statuses) == [200] * 5 + [429] * (PARALLEL - 5)
    assert _failures_by_reason() == {"credentials": 5, "throttled": PARALLEL - 5}
    assert throttle.failures("kari", None)["account"] == 5
    # The right password is refused too, in parallel as well.
    assert _parallel_logins(burst_server, [("kari", "test-password-1")] * 5) == [429] * 5
    assert not AuditEvent.objects.filter(action=LOGIN_SUCCESS).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_address_limit_holds_under_50_parallel_attempts(
    burst_server: str, settings: SettingsWrapper
) -> None:
    settings.LOGIN_THROTTLE_ACCOUNT_LIMIT = 5
    settings.LOGIN_THROTTLE_ADDRESS_LIMIT = 10
    make_user("reporter", username="per")
    # 50 different accounts from one address: a password-spraying attack.
    statuses = _parallel_logins(
        burst_server, [(f"bruker{i}", "sommer2026") for i in range(PARALLEL)]
    )
    assert sorted(statuses) == [200] * 10 + [429] * (PARALLEL - 10)
    assert _failures_by_reason() == {"credentials": 10, "throttled": PARALLEL - 10}
    # An account never tried is locked out from this address too, right password or not.
    assert _parallel_logins(burst_server, [("per", "test-password-1")]) == [429]
