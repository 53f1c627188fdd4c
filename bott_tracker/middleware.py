"""Cross-cutting concerns django-csp and SecurityMiddleware do not cover: response headers, and
input refused before any view runs (NUL)."""

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from issues.views.errors import bad_request


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every dynamic response.

    Pages for a logged-in user, API responses, exports and attachment downloads hold personal
    data; no browser cache or shared proxy may keep them. Static files are answered by WhiteNoise
    before this middleware runs and stay cacheable. An anonymous response whose view chose its
    own caching (none does today) keeps it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        logged_in = bool(user is not None and user.is_authenticated)
        if logged_in or not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        return response


class OidcFormActionMiddleware:
    """Let forms submit to the OpenID provider's origin (CSP ``form-action``).

    Logging out of a Feide session answers the logout form with a redirect to the provider's
    ``end_session_endpoint``; browsers apply ``form-action`` to such redirects. Read per request
    so that a changed ``OIDC_ISSUER`` (tests, a new provider) needs no restart of this code.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        issuer = settings.OIDC_ISSUER
        if issuer:
            parts = urlsplit(issuer)
            update = dict(getattr(response, "_csp_update", None) or {})
            update["form-action"] = [
                *update.get("form-action", []),
                f"{parts.scheme}://{parts.netloc}",
            ]
            response._csp_update = update  # type: ignore[attr-defined]
        return response


_JSON_NUL = (b"\x00", b"\\u0000")


def _has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path:
        return True
    for data in (request.GET, request.POST if request.method == "POST" else None):
        if data is None:
            continue
        for key, values in data.lists():
            if "\x00" in key or any("\x00" in v for v in values):
                return True
    if request.content_type == "application/json" and request.method in ("POST", "PUT", "PATCH"):
        body = request.body.lower()
        return any(marker in body for marker in _JSON_NUL)
    return False


class HostileInputMiddleware:
    """A NUL byte anywhere in the input is a 400 in the user's language, for every URL.

    PostgreSQL refuses NUL in text, so a NUL that reached a query or an insert was a 500 (search
    boxes, the merge search, a title). Nobody types one on purpose, so refusing the whole request
    is clearer than stripping it silently. Runs after LocaleMiddleware (the language is known).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if _has_nul(request):
            return bad_request(
                request,
                _(
                    "Teksten inneholder et null-tegn (NUL), som ikke er tillatt. Fjern det og prøv "
                    "igjen."
                ),
            )
        return self.get_response(request)
