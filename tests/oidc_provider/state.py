"""The provider's data: keys, test users, codes, tokens and its own login sessions.

Test users come from a JSON file read at every request, so a test can change a user (a new
name, a switch) between two logins. A user's optional ``id_token`` object shapes the ID token
the provider issues, to play a provider that misbehaves or an attacker's token:

``aud``        the audience instead of the client id
``exp_offset`` seconds from now for ``exp`` (negative: already expired)
``nonce``      a nonce instead of the one the client sent
``sign_with``  ``"rogue"``: sign with a key that is not in the JWKS (same ``kid``)

A user's ``groups`` are answered by ``/groups`` (like Feide's groups API) and ``groups_claim``
by a ``groups`` claim in userinfo. Only the provider knows these switches; the app under test just sees what a provider sends.
"""

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey

KEY_ID = "bott-test-provider-1"
ID_TOKEN_LIFETIME = 300


def _rsa_key() -> RSAKey:
    return RSAKey.generate_key(
        2048, parameters={"kid": KEY_ID, "use": "sig", "alg": "RS256"}, private=True
    )


@dataclass
class Grant:
    """An authorization code, good for one token request."""

    username: str
    client_id: str
    redirect_uri: str
    nonce: str
    code_challenge: str
    used: bool = False


@dataclass
class ProviderState:
    issuer: str
    users_file: Path
    client_id: str
    client_secret: str
    redirect_uris: list[str]
    post_logout_redirect_uris: list[str]
    key: RSAKey = field(default_factory=_rsa_key)
    # Same kid, not published: a token signed with it must fail verification, not key lookup.
    rogue_key: RSAKey = field(default_factory=_rsa_key)
    grants: dict[str, Grant] = field(default_factory=dict)
    access_tokens: dict[str, str] = field(default_factory=dict)
    sessions: dict[str, str] = field(default_factory=dict)
    # What happened, for tests to read at /_test/events (token requests, logouts).
    events: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def users(self) -> dict[str, dict[str, Any]]:
        data: dict[str, dict[str, Any]] = json.loads(self.users_file.read_text())["users"]
        return data

    def user(self, username: str) -> dict[str, Any] | None:
        return self.users().get(username)

    def check_password(self, username: str, password: str) -> bool:
        user = self.user(username)
        return user is not None and secrets.compare_digest(
            str(user.get("password", "")).encode(), password.encode()
        )

    def new_session(self, username: str) -> str:
        sid = secrets.token_urlsafe(24)
        with self.lock:
            self.sessions[sid] = username
        return sid

    def new_code(self, grant: Grant) -> str:
        code = secrets.token_urlsafe(24)
        with self.lock:
            self.grants[code] = grant
        return code

    def redeem(self, code: str) -> tuple[Grant | None, str]:
        """The grant of a code and "" , or None and the OAuth error (a code works once)."""
        with self.lock:
            grant = self.grants.get(code)
            if grant is None:
                return None, "invalid_grant"
            if grant.used:
                # RFC 6749 4.1.2: a code used twice is refused (and its tokens revoked).
                self.access_tokens = {
                    t: u for t, u in self.access_tokens.items() if u != grant.username
                }
                return None, "invalid_grant"
            grant.used = True
            return grant, ""

    def id_token(self, grant: Grant) -> str:
        user = self.user(grant.username) or {}
        switches: dict[str, Any] = user.get("id_token", {})
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": self.subject(grant.username),
            "aud": switches.get("aud", grant.client_id),
            "iat": now,
            "auth_time": now,
            "exp": now + int(switches.get("exp_offset", ID_TOKEN_LIFETIME)),
            "nonce": switches.get("nonce", grant.nonce),
        }
        key = self.rogue_key if switches.get("sign_with") == "rogue" else self.key
        return jwt.encode({"alg": "RS256", "kid": KEY_ID}, claims, key)

    def subject(self, username: str) -> str:
        user = self.user(username) or {}
        default = hashlib.sha256(f"{self.issuer}|{username}".encode()).hexdigest()[:32]
        return str(user.get("sub", default))

    def userinfo(self, username: str) -> dict[str, Any]:
        user = self.user(username) or {}
        info: dict[str, Any] = {
            "sub": self.subject(username),
            "name": user.get("name", ""),
            "email": user.get("email", ""),
            "userid_sec": [f"feide:{user.get('feide_id', username)}"],
        }
        if "groups_claim" in user:
            info["groups"] = user["groups_claim"]
        return info

    def valid_id_token_hint(self, token: str) -> bool:
        try:
            jwt.decode(token, self.key)
        except (JoseError, ValueError):
            return False
        return True


def pkce_matches(verifier: str, challenge: str) -> bool:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    expected = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    return bool(verifier) and secrets.compare_digest(expected, challenge)
