"""Start the provider as a separate process for a test, and talk to it like a browser would."""

import json
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "bott-tracker-test"
CLIENT_SECRET = "test-client-secret-not-real"
PASSWORD = "feide-test-password"

# Test users; the ``id_token`` switches make the provider misbehave (see state.py).
USERS: dict[str, dict[str, Any]] = {
    "ola": {"feide_id": "ola.nordmann@uib.no", "name": "Ola Nordmann", "email": "ola@uib.no"},
    "kari": {"feide_id": "kari@uio.no", "name": "Kari Nordmann", "email": "kari@uio.no"},
    "ingrid": {
        "feide_id": "ingrid@ntnu.no",
        "name": "Ingrid Berg",
        "groups": ["fc:adhoc:bott-forvaltning"],
        "groups_claim": ["fc:org:ntnu.no:bott-forvaltning"],
    },
    "eva": {"feide_id": "eva@example.org", "name": "Eva Utenfor", "email": "eva@example.org"},
    "wrongaud": {"feide_id": "aud@uib.no", "id_token": {"aud": "some-other-client"}},
    "expired": {"feide_id": "exp@uib.no", "id_token": {"exp_offset": -3600}},
    "badnonce": {"feide_id": "nonce@uib.no", "id_token": {"nonce": "not-the-clients-nonce"}},
    "rogue": {"feide_id": "rogue@uib.no", "id_token": {"sign_with": "rogue"}},
}


@dataclass
class RunningProvider:
    issuer: str
    users_file: Path
    process: subprocess.Popen[str]

    def set_users(self, users: dict[str, dict[str, Any]]) -> None:
        with_passwords = {name: {"password": PASSWORD, **user} for name, user in users.items()}
        self.users_file.write_text(json.dumps({"users": with_passwords}))

    def events(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = requests.get(f"{self.issuer}/_test/events", timeout=5).json()
        return result

    def login(self, authorize_url: str, username: str) -> str:
        """Sign in at the provider's form like a browser; returns the callback URL it sends."""
        with requests.Session() as browser:
            page = browser.get(authorize_url, timeout=5)
            assert page.status_code == 200, page.text
            answer = browser.post(
                f"{self.issuer}/authorize",
                data={
                    "query": urlsplit(authorize_url).query,
                    "username": username,
                    "password": PASSWORD,
                },
                allow_redirects=False,
                timeout=5,
            )
        assert answer.status_code == 302, answer.text
        return str(answer.headers["Location"])

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_provider(tmp_path: Path, app_base_url: str) -> RunningProvider:
    users_file = tmp_path / "feide_users.json"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.oidc_provider",
            "--users",
            str(users_file),
            "--client-id",
            CLIENT_ID,
            "--client-secret",
            CLIENT_SECRET,
            "--redirect-uri",
            f"{app_base_url}/login/feide/callback/",
            "--post-logout-redirect-uri",
            f"{app_base_url}/login/",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    provider = RunningProvider(issuer="", users_file=users_file, process=process)
    provider.set_users(USERS)
    line: list[str] = []
    reader = threading.Thread(target=lambda: line.append(process.stdout.readline()), daemon=True)  # type: ignore[union-attr]
    reader.start()
    reader.join(timeout=30)
    if not line or not line[0].startswith("listening "):
        provider.stop()
        raise RuntimeError(f"the test OpenID provider did not start: {line!r}")
    provider.issuer = line[0].split(" ", 1)[1].strip()
    return provider
