"""No personal data in URLs or logs: generated national ID, D-numbers and account numbers are
posted through the forms and the API of a real gunicorn (production settings), then the access
log, the application log and every text column of the database are searched for them.

Runs against pytest's own PostgreSQL test database (transactional, so gunicorn sees the rows).
"""

import os
import random
import re
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from django.apps import apps
from django.db import connection, models

from issues.services.api_tokens import api_token_create
from priorities.rules import FACT_NAMES
from tests.factories import make_defect, make_user
from tests.issues.pd_numbers import account_number, first_national_id

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


def generated_numbers(seed: int) -> list[str]:
    """Two national ID numbers, two D-numbers (day + 40) and two account numbers."""
    rng = random.Random(seed)
    numbers = []
    for d_number in (False, False, True, True):
        day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(0, 99)
        numbers.append(first_national_id(f"{day + 40 * d_number:02d}{month:02d}{year:02d}"))
    while len(numbers) < 6:
        account = account_number(f"{rng.randint(1000, 9999)}{rng.randint(0, 999_999):06d}")
        if account:
            numbers.append(account)
    return numbers


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def gunicorn(tmp_path: Path) -> Iterator[tuple[str, Path, Path]]:
    """A production-like gunicorn on pytest's test database; yields (base URL, logs)."""
    port = _free_port()
    db = connection.settings_dict
    access, app_log = tmp_path / "access.log", tmp_path / "app.log"
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/"
        f"{db['NAME']}",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "DEBUG",  # the most talkative the app gets
        "DJANGO_SETTINGS_MODULE": "tests.security.gunicorn_settings",
    }
    with app_log.open("wb") as errors:
        process = subprocess.Popen(
            [
                f"{sys.prefix}/bin/gunicorn",
                "bott_tracker.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--access-logfile",
                str(access),
                "--error-logfile",
                "-",
                "--capture-output",
            ],
            cwd=ROOT,
            env=env,
            stdout=errors,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(120):
                try:
                    requests.get(f"{base}/login/", timeout=10)
                    break
                except requests.RequestException:
                    time.sleep(0.5)
            yield base, access, app_log
        finally:
            process.terminate()
            process.wait(timeout=30)


class Browser:
    """Cookies by hand: production cookies are Secure, and this gunicorn speaks plain HTTP
    behind a pretend TLS proxy (X-Forwarded-Proto)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies: dict[str, str] = {}

    def _headers(self) -> dict[str, str]:
        origin = self.base.replace("http://", "https://")
        return {
            "X-Forwarded-Proto": "https",
            "Origin": origin,
            "Referer": f"{origin}/",
            "X-CSRFToken": self.cookies.get("csrftoken", ""),
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }

    def request(self, method: str, path: str, **kwargs: object) -> requests.Response:
        response = requests.request(
            method,
            self.base + path,
            headers=self._headers(),
            allow_redirects=False,
            timeout=30,
            **kwargs,  # type: ignore[arg-type]
        )
        # requests' jar drops Secure cookies on an http:// URL; read the headers instead.
        for header in response.raw.headers.getlist("Set-Cookie"):
            name, _sep, value = header.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value.strip()
        return response


def _form_token(page: str) -> str:
    match = re.search(r'name="form_token" value="([^"]+)"', page)
    assert match, "the report form carries a form token"
    return match.group(1)


def test_posted_numbers_reach_no_log_and_no_table(tmp_path: Path) -> None:
    numbers = generated_numbers(seed=11)
    reporter = make_user("reporter", institution="UiO")
    defect = make_defect(reporter, title="Faktura stopper i arbeidsflyt")
    _token, api_token = api_token_create(user=reporter, name="logg-test")
    # Also as people write them: "DDMMYY NNNNN" for identity numbers, "NNNN.NN.NNNNN" and
    # "NNNN NN NNNNN" for accounts.
    spaced = [f"{n[:6]} {n[6:]}" for n in numbers[:4]] + [
        f"{n[:4]}{sep}{n[4:6]}{sep}{n[6:]}" for n in numbers[4:] for sep in ". "
    ]
    text = "Gjelder " + ", ".join(numbers) + " og " + " ".join(spaced)
    with gunicorn(tmp_path) as (base, access, app_log):
        browser = Browser(base)
        browser.request("GET", "/login/")
        login = browser.request(
            "POST", "/login/", data={"username": reporter.username, "password": "test-password-1"}
        )
        assert login.status_code == 302, re.findall(r"<p>(.*?)</p>", login.text)
        posts = {
            "/meld/forslag/": {"title": text},
            "/meld/forhandsvisning/": {"description": text},
            f"/feil/{defect.pk}/kommentar/": {"body": text},
        }
        for path, data in posts.items():
            assert browser.request("POST", path, data=data).status_code < 400, path
        page = browser.request("GET", "/meld/").text
        report = browser.request(
            "POST",
            "/meld/",
            data={
                "form_token": _form_token(page),
                "title": f"Lønn feil for {numbers[0]}",
                "description": text,
                "kind": "feil",
                "area": str(defect.area_id),
                "category": str(defect.category_id),
                "institution": str(reporter.institution_id),
                "extra_hours_per_week": "1",
                "people_affected": "1",
                "workaround": text,
                "mask_personal_data": "on",
                **dict.fromkeys(FACT_NAMES, "nei"),
            },
        )
        assert report.status_code == 302, re.findall(
            r'data-color="danger"[^>]*>([^<]+)', report.text
        )
        api = requests.post(
            f"{base}/api/v1/defects/{defect.pk}/comments/",
            json={"body": text},
            headers={"Authorization": f"Bearer {api_token}", "X-Forwarded-Proto": "https"},
            timeout=30,
        )
        assert api.status_code == 201, api.text[:500]
    logs = access.read_text() + app_log.read_text()
    assert "POST /meld/forslag/" in logs  # the logs are the ones written by this run
    leaked = [n for n in [*numbers, *spaced] if n in logs]
    assert leaked == [], logs[-2000:]
    stored = _stored_anywhere([*numbers, *spaced])
    assert stored == [], "\n".join(map(str, stored))


def _stored_anywhere(numbers: list[str]) -> list[tuple[str, str, str]]:
    """(table, column, number) for every text or JSON column of every table holding a number."""
    hits = []
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            for field in model._meta.concrete_fields:
                if not isinstance(field, models.CharField | models.TextField | models.JSONField):
                    continue
                for form in numbers:
                    cursor.execute(
                        f'SELECT 1 FROM "{model._meta.db_table}" '  # noqa: S608 - model names
                        f'WHERE "{field.column}"::text LIKE %s LIMIT 1',
                        [f"%{form}%"],
                    )
                    if cursor.fetchone():
                        hits.append((model._meta.db_table, field.column, form))
    return hits
