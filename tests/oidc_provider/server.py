"""A small OpenID provider over HTTP: discovery, authorize (with its own login), token, userinfo,
JWKS and RP-initiated logout. Enough of Feide's side to drive a real login; see ``state.py``."""

import base64
import html
import json
import secrets
from collections.abc import Callable
from http import HTTPStatus
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlencode, urlsplit

from tests.oidc_provider.state import Grant, ProviderState, pkce_matches

SESSION_COOKIE = "op_session"

LOGIN_PAGE = """<!doctype html>
<html lang="nb"><head><meta charset="utf-8"><title>Test-Feide: logg inn</title></head>
<body><main><h1>Test-Feide</h1>
<p>Utviklingsleverandør for BOTT-sporing. Ikke den ekte Feide.</p>{error}
<form method="post" action="/authorize">
<input type="hidden" name="query" value="{query}">
<p><label for="username">Feide-brukernavn</label> <input id="username" name="username"></p>
<p><label for="password">Feide-passord</label>
<input id="password" name="password" type="password"></p>
<button type="submit">Logg inn hos Feide</button>
</form></main></body></html>
"""


def _one(params: dict[str, list[str]], name: str) -> str:
    return params.get(name, [""])[0]


class Handler(BaseHTTPRequestHandler):
    state: ClassVar[ProviderState]
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        return  # quiet: the tests read /_test/events instead

    # --- plumbing -------------------------------------------------------------------------------
    def _send(
        self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, data: Any) -> None:
        self._send(status, json.dumps(data).encode(), "application/json")

    def _redirect(self, url: str, headers: dict[str, str] | None = None) -> None:
        self._send(HTTPStatus.FOUND, b"", "text/plain", {"Location": url, **(headers or {})})

    def _form(self) -> dict[str, list[str]]:
        length = int(self.headers.get("Content-Length", "0"))
        return parse_qs(self.rfile.read(length).decode())

    def _session_user(self) -> str | None:
        cookie = SimpleCookie(self.headers.get("Cookie", ""))
        morsel = cookie.get(SESSION_COOKIE)
        return self.state.sessions.get(morsel.value) if morsel else None

    # --- routes ---------------------------------------------------------------------------------
    def do_GET(self) -> None:
        url = urlsplit(self.path)
        params = parse_qs(url.query)
        routes: dict[str, Callable[[dict[str, list[str]]], None]] = {
            "/.well-known/openid-configuration": self._discovery,
            "/jwks": lambda _p: self._json(200, {"keys": [self.state.key.as_dict(private=False)]}),
            "/authorize": self._authorize,
            "/userinfo": self._userinfo,
            "/groups": self._groups,
            "/end_session": self._end_session,
            "/_test/events": lambda _p: self._json(200, self.state.events),
        }
        handler = routes.get(url.path)
        if handler is None:
            self._json(404, {"error": "not_found"})
        else:
            handler(params)

    def do_POST(self) -> None:
        path = urlsplit(self.path).path
        if path == "/authorize":
            self._login(self._form())
        elif path == "/token":
            self._token(self._form())
        else:
            self._json(404, {"error": "not_found"})

    def _discovery(self, _params: dict[str, list[str]]) -> None:
        issuer = self.state.issuer
        self._json(
            200,
            {
                "issuer": issuer,
                "authorization_endpoint": f"{issuer}/authorize",
                "token_endpoint": f"{issuer}/token",
                "userinfo_endpoint": f"{issuer}/userinfo",
                "jwks_uri": f"{issuer}/jwks",
                "end_session_endpoint": f"{issuer}/end_session",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": [
                    "client_secret_basic",
                    "client_secret_post",
                ],
                "scopes_supported": ["openid", "profile", "email", "userid-feide", "groups"],
            },
        )

    def _authorize_error(self, params: dict[str, list[str]]) -> str:
        """Why an authorization request is refused, or "" (Feide refuses the same way)."""
        checks = [
            (_one(params, "client_id") == self.state.client_id, "unknown client_id"),
            (_one(params, "redirect_uri") in self.state.redirect_uris, "unregistered redirect_uri"),
            (_one(params, "response_type") == "code", "response_type must be code"),
            ("openid" in _one(params, "scope").split(), "scope must include openid"),
            # The RP under test must send PKCE (S256), state and a nonce, or it is refused.
            (
                _one(params, "code_challenge_method") == "S256"
                and bool(_one(params, "code_challenge")),
                "PKCE (S256) is required",
            ),
            (bool(_one(params, "nonce") and _one(params, "state")), "state and nonce required"),
        ]
        return next((problem for ok, problem in checks if not ok), "")

    def _authorize(self, params: dict[str, list[str]], error: str = "") -> None:
        problem = self._authorize_error(params)
        if problem:
            self._json(400, {"error": "invalid_request", "error_description": problem})
            return
        username = self._session_user()
        if username and self.state.user(username) and not error:
            self._issue_code(params, username)  # single sign-on: no second password prompt
            return
        note = f"<p role='alert'>{html.escape(error)}</p>" if error else ""
        page = LOGIN_PAGE.format(error=note, query=html.escape(urlencode(params, doseq=True)))
        self._send(200, page.encode(), "text/html; charset=utf-8")

    def _login(self, form: dict[str, list[str]]) -> None:
        params = parse_qs(_one(form, "query"))
        username = _one(form, "username")
        if self._authorize_error(params):
            self._authorize(params)
        elif not self.state.check_password(username, _one(form, "password")):
            self._authorize(params, error="Feil brukernavn eller passord.")
        else:
            sid = self.state.new_session(username)
            cookie = f"{SESSION_COOKIE}={sid}; Path=/; HttpOnly; SameSite=Lax"
            self._issue_code(params, username, {"Set-Cookie": cookie})

    def _issue_code(
        self, params: dict[str, list[str]], username: str, headers: dict[str, str] | None = None
    ) -> None:
        grant = Grant(
            username=username,
            client_id=_one(params, "client_id"),
            redirect_uri=_one(params, "redirect_uri"),
            nonce=_one(params, "nonce"),
            code_challenge=_one(params, "code_challenge"),
        )
        code = self.state.new_code(grant)
        query = urlencode({"code": code, "state": _one(params, "state")})
        self._redirect(f"{grant.redirect_uri}?{query}", headers)

    def _client_authenticated(self, form: dict[str, list[str]]) -> bool:
        client_id, secret = _one(form, "client_id"), _one(form, "client_secret")
        auth = self.headers.get("Authorization", "")
        if auth.startswith("Basic "):
            decoded = base64.b64decode(auth[6:]).decode()
            client_id, _colon, secret = decoded.partition(":")
        return client_id == self.state.client_id and secrets.compare_digest(
            secret.encode(), self.state.client_secret.encode()
        )

    def _token(self, form: dict[str, list[str]]) -> None:
        if not self._client_authenticated(form):
            self._json(401, {"error": "invalid_client"})
            return
        grant, error = self.state.redeem(_one(form, "code"))
        self.state.events.append({"event": "token", "error": error})
        if grant is None:
            self._json(400, {"error": error})
            return
        if _one(form, "redirect_uri") != grant.redirect_uri or not pkce_matches(
            _one(form, "code_verifier"), grant.code_challenge
        ):
            self._json(400, {"error": "invalid_grant"})
            return
        access_token = secrets.token_urlsafe(24)
        self.state.access_tokens[access_token] = grant.username
        self._json(
            200,
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": 3600,
                "id_token": self.state.id_token(grant),
            },
        )

    def _userinfo(self, _params: dict[str, list[str]]) -> None:
        auth = self.headers.get("Authorization", "")
        username = self.state.access_tokens.get(auth.removeprefix("Bearer "))
        if not auth.startswith("Bearer ") or username is None:
            self._json(401, {"error": "invalid_token"})
            return
        self._json(200, self.state.userinfo(username))

    def _groups(self, _params: dict[str, list[str]]) -> None:
        """Like Feide's groups API: the user's groups as objects with an ``id``."""
        auth = self.headers.get("Authorization", "")
        username = self.state.access_tokens.get(auth.removeprefix("Bearer "))
        if not auth.startswith("Bearer ") or username is None:
            self._json(401, {"error": "invalid_token"})
            return
        user = self.state.user(username) or {}
        self._json(200, [{"id": group, "type": "fc:adhoc"} for group in user.get("groups", [])])

    def _end_session(self, params: dict[str, list[str]]) -> None:
        hint = _one(params, "id_token_hint")
        target = _one(params, "post_logout_redirect_uri")
        valid = self.state.valid_id_token_hint(hint)
        self.state.events.append({"event": "end_session", "id_token_hint_valid": valid})
        cookie = SimpleCookie(self.headers.get("Cookie", "")).get(SESSION_COOKIE)
        if cookie:
            self.state.sessions.pop(cookie.value, None)
        expire = f"{SESSION_COOKIE}=; Path=/; Max-Age=0"
        if valid and target in self.state.post_logout_redirect_uris:
            query = urlencode({"state": _one(params, "state")})
            self._redirect(f"{target}?{query}", {"Set-Cookie": expire})
        else:
            body = b"<!doctype html><title>Logget ut</title><p>Du er logget ut av Test-Feide.</p>"
            self._send(200, body, "text/html; charset=utf-8", {"Set-Cookie": expire})


def make_server(host: str, port: int, state: ProviderState) -> ThreadingHTTPServer:
    handler = type("BoundHandler", (Handler,), {"state": state})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server
