"""The page where a user creates and revokes personal API tokens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from issues.forms.api_tokens import ApiTokenForm
from issues.models import ApiToken, User
from issues.services import api_tokens as api_tokens_services
from issues.services.api_tokens import api_token_create


def _render(
    request: HttpRequest, form: ApiTokenForm, new_token: str = "", status: int = 200
) -> HttpResponse:
    assert isinstance(request.user, User)
    tokens = ApiToken.objects.filter(user=request.user)
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
        try:
            _token, raw = api_token_create(user=request.user, name=form.cleaned_data["name"])
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            # Rendered, not redirected: the secret exists only in this one response.
            return _render(request, ApiTokenForm(), new_token=raw)
    return _render(request, form, status=400)


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    assert isinstance(request.user, User)
    try:
        token = api_tokens_services.api_token_revoke(user=request.user, token_id=pk)
    except ApiToken.DoesNotExist as exc:
        raise Http404 from exc
    messages.success(request, _("Nøkkelen «%(name)s» er trukket tilbake.") % {"name": token.name})
    return redirect("issues:api_tokens")
