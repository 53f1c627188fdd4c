"""The settings module refuses an unsafe production start; checked in a fresh interpreter."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _load(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"}
    }
    clean.update(env)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)",
        ],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "bott_tracker.settings"},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_without_secret_key_refuses_to_start() -> None:
    result = _load(DEBUG="false", ALLOWED_HOSTS="bott.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_without_allowed_hosts_refuses_to_start() -> None:
    result = _load(DEBUG="false", SECRET_KEY="x" * 64)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_with_both_starts() -> None:
    result = _load(DEBUG="false", SECRET_KEY="k" * 64, ALLOWED_HOSTS="bott.example.org")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_laptop_defaults() -> None:
    from django.conf import settings

    assert settings.TIME_ZONE == "Europe/Oslo"
    assert settings.LANGUAGE_CODE == "nb"
    assert [code for code, _ in settings.LANGUAGES] == ["nb", "en"]
    assert settings.AUTH_USER_MODEL == "issues.User"
