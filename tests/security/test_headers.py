"""Every page, for every role, carries the security headers; none uses inline script or style.

The paths come from the URL resolver (tests/crawl.py), so a page added later is checked too.
"""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from pytest_django.fixtures import Settings as SettingsWrapper

from bott_tracker.content_security import U_ELEMENTS_STYLE_HASHES
from tests.crawl import Objects, crawl_paths, unsafe_markup
from tests.security.conftest import build_world, client_for, content_of

ROOT = Path(__file__).resolve().parents[2]

# django-simple-history's admin history page has one `<p class="paginator" style="border-top: 0">`:
# the CSP blocks that style (the border shows), nothing else. Known and accepted, nothing more.
ACCEPTED = {(r"^/admin/.+/history/$", "<p style=...> inline style")}


def _csp_directives(header: str) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def _header_problems(response: object, *, logged_in: bool, is_html: bool) -> list[str]:
    get = response.headers.get  # type: ignore[attr-defined]
    problems: list[str] = []
    no_store = "no-store" in [d.strip() for d in (get("Cache-Control") or "").split(",")]
    if logged_in and not no_store:
        problems.append(f"Cache-Control={get('Cache-Control')!r}")
    if not is_html:
        return problems
    csp = _csp_directives(get("Content-Security-Policy", ""))
    script = csp.get("script-src", csp.get("default-src", []))
    if script != ["'self'"]:
        problems.append(f"script-src={script}")
    for directive, expected in {
        "frame-ancestors": ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        # Our own stylesheets, and the two vendored elements' constant shadow-root styles by hash
        # (bott_tracker/content_security.py); never 'unsafe-inline'.
        "style-src": ["'self'", *U_ELEMENTS_STYLE_HASHES],
    }.items():
        if csp.get(directive) != expected:
            problems.append(f"{directive}={csp.get(directive)}")
    expected_headers = {
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "same-origin",
        "X-Content-Type-Options": "nosniff",
    }
    if not no_store:
        problems.append(f"Cache-Control={get('Cache-Control')!r}")
    for name, value in expected_headers.items():
        if get(name) != value:
            problems.append(f"{name}={get(name)!r}")
    if "max-age=31536000" not in (get("Strict-Transport-Security") or ""):
        problems.append(f"Strict-Transport-Security={get('Strict-Transport-Security')!r}")
    return problems


# Swagger UI (the API docs) styles its widgets from its own script; that page alone may use inline
# styles. Its scripts are still 'self' only.
INLINE_STYLE_ALLOWED = {("/api/docs/", "style-src=[\"'self'\", \"'unsafe-inline'\"]")}


@pytest.mark.django_db
def test_every_page_for_every_role_sends_the_security_headers(
    tmp_path: Path, settings: SettingsWrapper, production_headers: None
) -> None:
    world = build_world(tmp_path, settings)
    paths, unfillable = crawl_paths(Objects(world.defect, world.extra))
    assert unfillable == [], "no path for these URL patterns; add candidates in tests/crawl.py"
    assert len(paths) > 50  # the admin alone has more; an empty walk would prove nothing
    problems: list[str] = []
    html_pages = 0
    for role, user in world.users.items():
        client = client_for(user)
        for _endpoint, path in paths:
            response = client.get(path, secure=True)
            content_type = response.headers.get("Content-Type", "")
            is_html = content_type.startswith("text/html")
            for problem in _header_problems(response, logged_in=user is not None, is_html=is_html):
                if (path, problem) in INLINE_STYLE_ALLOWED:
                    continue
                problems.append(f"{role} GET {path} -> {response.status_code}: {problem}")
            if is_html and response.status_code == 200:
                html_pages += 1
                html = content_of(response).decode("utf-8", "replace")
                for problem in sorted(set(unsafe_markup(html))):
                    if any(re.match(p, path) and problem == text for p, text in ACCEPTED):
                        continue
                    problems.append(f"{role} GET {path}: {problem}")
    assert problems == [], "\n".join(problems[:60])
    assert html_pages > 50


@pytest.mark.django_db
def test_login_cookies_are_secure_and_http_only(
    settings: SettingsWrapper, production_headers: None
) -> None:
    from django.test import Client

    from tests.factories import make_user

    make_user("reporter", username="kari")
    client = Client()
    client.get("/login/", secure=True)
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/login/",
        {"username": "kari", "password": "test-password-1", "csrfmiddlewaretoken": token},
        secure=True,
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"]
    assert session["httponly"]
    assert session["samesite"] == "Lax"
    assert client.cookies["csrftoken"]["secure"]
    assert response.headers["Cache-Control"] == "no-store"


def test_deploy_check_is_clean_with_production_settings() -> None:
    # The e2e conftest allows async-unsafe ORM calls for Playwright; a deployment never does.
    dropped = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="bott.example.org",
        # The production settings, not the test run's (bott_tracker.settings_test).
        DJANGO_SETTINGS_MODULE="bott_tracker.settings",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_static_files_stay_cacheable(settings: SettingsWrapper) -> None:
    """WhiteNoise answers before the no-store middleware: CSS and JS may be cached."""
    from django.test import Client

    # Serve from the finders, as `collectstatic` output would be served in production.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    response = Client().get("/static/css/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
