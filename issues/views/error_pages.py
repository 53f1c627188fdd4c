"""The 400, 403, 404 and 500 pages, in the app's layout and the user's language."""

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

TEMPLATE = "errors/page.html"


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    context = {
        "status": 400,
        "heading": _("Forespørselen kunne ikke behandles"),
        "explanation": _("Noe i adressen eller skjemaet var ugyldig. Gå tilbake og prøv igjen."),
    }
    return render(request, TEMPLATE, context, status=400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    role = getattr(exception, "role", None)
    if not request.user.is_authenticated:
        explanation = _("Du må logge inn for å se denne siden.")
    elif role:
        explanation = _("Siden krever rollen %(role)s. Du er logget inn som %(user)s.") % {
            "role": role,
            "user": request.user.get_username(),
        }
    else:
        explanation = _("Du har ikke tilgang til denne siden.")
    context = {"status": 403, "heading": _("Ingen tilgang"), "explanation": explanation}
    return render(request, TEMPLATE, context, status=403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    # The same words whether the page does not exist or is hidden from this user.
    context = {
        "status": 404,
        "heading": _("Fant ikke siden"),
        "explanation": _("Siden finnes ikke, eller du har ikke tilgang til den."),
    }
    return render(request, TEMPLATE, context, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # The database may be what failed: the page must not look up the signed-in user.
    context = {
        "status": 500,
        "heading": _("Noe gikk galt hos oss"),
        "explanation": _(
            "Feilen er logget. Prøv igjen om litt; det du sendte kan ha blitt lagret."
        ),
    }
    request.user = AnonymousUser()
    return render(request, TEMPLATE, context, status=500)
