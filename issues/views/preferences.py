"""Notification choices, and the one-click unsubscribe that works without logging in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from issues.forms.preferences import PreferencesForm
from issues.models import NotificationKind
from issues.services.preferences import (
    DIGEST_TARGET,
    choices_for,
    preferences_set,
    unsubscribe_apply,
    unsubscribe_read,
)
from issues.views.common import current_user


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    initial = choices_for(user)
    form = PreferencesForm(request.POST or None, initial=initial, digest=DIGEST_TARGET in initial)
    if request.method == "POST":
        if form.is_valid():
            preferences_set(user=user, choices=form.kind_choices(), digest=form.digest_choice())
            messages.success(request, _("Varslingsvalgene er lagret."))
            return redirect("issues:preferences")
        return render(request, "issues/preferences/form.html", {"form": form}, status=400)
    return render(request, "issues/preferences/form.html", {"form": form})


# The signed token is the authority here: mail clients POST one-click unsubscribes (RFC 8058)
# without a session or a CSRF token. GET only shows the button, since link checkers fetch links.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        found = unsubscribe_apply(token) if request.method == "POST" else unsubscribe_read(token)
    except ValidationError as exc:
        error = {"error": " ".join(exc.messages)}
        return render(request, "issues/preferences/unsubscribe.html", error, status=400)
    labels = dict(NotificationKind.choices)
    kinds = [str(labels[k]) for k in found.kinds]
    if found.target == DIGEST_TARGET:
        kinds = [_("Sammendrag til forvaltningsteamet og DFØ-kontakten")]
    context: dict[str, object] = {
        "done": request.method == "POST",
        "kinds": kinds,
        "token": token,
    }
    return render(request, "issues/preferences/unsubscribe.html", context)
