"""Cross-cutting response headers that django-csp and SecurityMiddleware do not cover."""

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase


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
