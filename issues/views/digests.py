"""The escalation digest pages: preview, send now, archive."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import (
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from issues import permissions
from issues.errors import RoleRequired
from issues.models import User
from issues.selectors.digests import (
    digest_deliveries,
    digest_delivery_count,
    digest_recipients,
    digest_run_or_404,
    digest_runs,
)
from issues.services import digests as digests_services
from issues.services.digests import digest_send_now


def _require_digest_admin(request: HttpRequest) -> User:
    if not permissions.can_manage_digests(request.user):
        raise RoleRequired(permissions.NEEDS_MANAGEMENT_OR_LIAISON)
    assert isinstance(request.user, User)
    return request.user


@login_required
@require_http_methods(["GET", "POST"])
def digest_preview(request: HttpRequest) -> HttpResponse:
    user = _require_digest_admin(request)
    if request.method == "POST":
        run = digest_send_now(actor=user)
        messages.success(
            request,
            _("Sammendraget sendes nå til %(n)s mottakere.")
            % {"n": digest_delivery_count(run=run)},
        )
        return redirect("issues:digest_detail", pk=run.pk)
    preview = digests_services.digest_preview()
    return render(
        request,
        "issues/escalation/digest_preview.html",
        {
            "preview": preview,
            "recipients": digest_recipients(),
        },
    )


@login_required
@require_GET
def digest_archive(request: HttpRequest) -> HttpResponse:
    _require_digest_admin(request)
    page = Paginator(digest_runs(), 25).get_page(request.GET.get("page"))
    return render(request, "issues/escalation/digest_archive.html", {"page": page})


@login_required
@require_GET
def digest_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_digest_admin(request)
    run = digest_run_or_404(pk=pk)
    deliveries = digest_deliveries(run=run)
    return render(
        request, "issues/escalation/digest_detail.html", {"run": run, "deliveries": deliveries}
    )


@login_required
@require_GET
def digest_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    _require_digest_admin(request)
    run = digest_run_or_404(pk=pk, with_attachment=True)
    response = HttpResponse(
        bytes(run.attachment),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{run.attachment_name}"'
    response["Cache-Control"] = "no-store"
    return response
