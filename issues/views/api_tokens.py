"""The page where a user creates and revokes personal API tokens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from issues.forms.api_tokens import ApiTokenForm
from issues.models import User
from issues.selectors.api_tokens import user_api_tokens
from issues.services import api_tokens as api_tokens_services
from issues.services.api_tokens import api_token_create
from issues.views.errors import domain_errors


def _render(
    request: HttpRequest, form: ApiTokenForm, new_token: str = "", status: int = 200
) -> HttpResponse:
    assert isinstance(request.user, User)
    tokens = user_api_tokens(user=request.user)
    return render(
        request,
        "issues/api/tokens.html",
        {"form": form, "tokens": tokens, "new_token": new_token},
        status=status,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    if request.method != "POST":
        return _render(request, ApiTokenForm())
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        with domain_errors(request, form=form):
            _token, raw = api_token_create(user=request.user, name=form.cleaned_data["name"])
            # Rendered, not redirected: the secret exists only in this one response.
            return _render(request, ApiTokenForm(), new_token=raw)
    return _render(request, form, status=400)


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    assert isinstance(request.user, User)
    with domain_errors(request):
        token = api_tokens_services.api_token_revoke(user=request.user, token_id=pk)
        messages.success(
            request, _("Nøkkelen «%(name)s» er trukket tilbake.") % {"name": token.name}
        )
    return redirect("issues:api_tokens")
