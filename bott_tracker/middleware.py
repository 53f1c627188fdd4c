"""Cross-cutting response headers that django-csp and SecurityMiddleware do not cover."""

from collections.abc import Callable

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
