"""The login page: "Logg inn med Feide" first, then Django's password form (break-glass and demo).

The throttle's refusal is shown as its own message with a 429 (a 503 with ``Retry-After`` while
its cache is down); with ``LOCAL_LOGIN=false`` the
password form says that it is for administrators only.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from issues import oidc
from issues.throttle import ThrottleUnavailable
from issues.views.errors import login_unavailable


class ThrottledAuthenticationForm(AuthenticationForm):
    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except ValidationError:
            if getattr(self.request, "login_throttled", False):
                raise ValidationError(
                    _(
                        "For mange mislykkede innloggingsforsøk. Vent et kvarter og prøv igjen, "
                        "eller kontakt brukerstøtte."
                    ),
                    code="throttled",
                ) from None
            if not settings.LOCAL_LOGIN:
                # Same words whether or not the password was right: it reveals nothing.
                raise ValidationError(
                    _(
                        "Feil brukernavn eller passord. Innlogging med passord er bare for "
                        "administratorer; andre logger inn med Feide."
                    ),
                    code="local_login_disabled",
                ) from None
            raise


class ThrottledLoginView(LoginView):
    form_class = ThrottledAuthenticationForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["feide_enabled"] = oidc.enabled()
        context["local_login"] = settings.LOCAL_LOGIN
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return super().post(request, *args, **kwargs)
        except ThrottleUnavailable:
            return login_unavailable(request)  # type: ignore[return-value]

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_invalid(form)
        if getattr(self.request, "login_throttled", False):
            response.status_code = 429
        return response
