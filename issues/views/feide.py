"""Feide login: the redirect to the provider, the callback, and logout from both sessions.

Every refusal renders one page that says what happened and whom to contact, writes
``login.failure`` (``method: feide``) to the audit log and counts against the client's address
in the login throttle; nothing is created.
"""

import functools
from collections.abc import Callable
from typing import Any

from authlib.common.errors import AuthlibBaseError
from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.views import LogoutView
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from requests import RequestException

from issues import oidc, throttle
from issues.services.audit import LOGIN_FAILURE, audit_record
from issues.services.feide import FeideRefused, feide_user_login, profile_from_claims
from issues.views.errors import login_unavailable

SESSION_NEXT = "feide_next"


def _throttle_required(view: Callable[[HttpRequest], HttpResponse]) -> Callable[..., Any]:
    """The throttle's cache down (Redis): a 503 with Retry-After, as for password login."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest) -> HttpResponseBase:
        try:
            return view(request)
        except throttle.ThrottleUnavailable:
            return login_unavailable(request)

    return wrapped


# The ID token of the current Feide login: the id_token_hint of RP-initiated logout.
SESSION_ID_TOKEN = "feide_id_token"  # noqa: S105 (a session key's name, not a secret)


def _refuse(request: HttpRequest, *, reason: str, identity: str = "") -> HttpResponse:
    throttled = reason == "throttled"
    if not throttled:
        throttle.record_address_failure(request)
    audit_record(
        actor=None,
        actor_name=identity,
        action=LOGIN_FAILURE,
        details={"method": "feide", "reason": reason},
        request=request,
    )
    kind = "realm" if reason == "realm" else "throttled" if throttled else "failed"
    context = {"kind": kind, "identity": identity, "support_contact": settings.SUPPORT_CONTACT}
    status = 429 if throttled else 403
    return render(request, "registration/feide_refused.html", context, status=status)


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return str(settings.LOGIN_REDIRECT_URL)


@never_cache
@require_GET
@_throttle_required
def feide_login(request: HttpRequest) -> HttpResponse:
    """Send the browser to Feide (a link, not a form: CSP form-action stays 'self')."""
    if not oidc.enabled():
        raise Http404
    if throttle.address_locked(request):
        return _refuse(request, reason="throttled")
    request.session[SESSION_NEXT] = _safe_next(request, request.GET.get("next"))
    redirect_uri = request.build_absolute_uri(reverse("feide-callback"))
    try:
        response: HttpResponse = oidc.client().authorize_redirect(request, redirect_uri)
    except (AuthlibBaseError, RequestException, KeyError, ValueError) as exc:
        # Discovery failed (Feide down or misconfigured): a clear page, not a server error.
        return _refuse(request, reason=oidc.failure_reason(exc))
    return response


@never_cache
@require_GET
@_throttle_required
def feide_callback(request: HttpRequest) -> HttpResponse:
    if not oidc.enabled():
        raise Http404
    if throttle.address_locked(request):
        return _refuse(request, reason="throttled")
    try:
        token, claims = oidc.complete_login(request)
        profile = profile_from_claims(claims)
    except oidc.LoginFailed as exc:
        return _refuse(request, reason=exc.reason)
    except FeideRefused as exc:
        return _refuse(request, reason=exc.reason, identity=exc.identity)
    try:
        user = feide_user_login(profile=profile)
    except FeideRefused as exc:
        return _refuse(request, reason=exc.reason, identity=exc.identity)
    next_url = request.session.get(SESSION_NEXT) or settings.LOGIN_REDIRECT_URL
    login(request, user, backend=oidc.FEIDE_BACKEND)
    request.session[SESSION_ID_TOKEN] = token.get("id_token", "")
    return HttpResponseRedirect(_safe_next(request, next_url))


class FeideLogoutView(LogoutView):
    """Django's logout, then the provider's ``end_session_endpoint`` when there is one."""

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        id_token = request.session.get(SESSION_ID_TOKEN, "")
        response: HttpResponse = super().post(request, *args, **kwargs)
        if not (id_token and oidc.enabled()):
            return response
        url = oidc.end_session_url(
            request,
            id_token=id_token,
            post_logout_redirect_uri=request.build_absolute_uri(reverse("login")),
        )
        return HttpResponseRedirect(url) if url else response
