"""The escalation digest pages: preview, send now, archive."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import (
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from issues import permissions
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
from issues.views.common import require_role


def _require_digest_admin(request: HttpRequest) -> User:
    return require_role(
        request, permissions.can_manage_digests, permissions.NEEDS_MANAGEMENT_OR_LIAISON
    )


@login_required
@require_http_methods(["GET", "POST"])
def digest_preview(request: HttpRequest) -> HttpResponse:
    user = _require_digest_admin(request)
    recipients = digest_recipients()
    if request.method == "POST" and request.POST.get("confirmed") == "yes":
        return _send_now(request, user)
    preview = digests_services.digest_preview()
    return render(
        request,
        "issues/escalation/digest_preview.html",
        # "Send nå" first asks, naming whom it goes to; only the confirmation sends.
        {"preview": preview, "recipients": recipients, "confirm": request.method == "POST"},
    )


def _send_now(request: HttpRequest, user: User) -> HttpResponse:
    started = timezone.now()
    run = digest_send_now(actor=user)
    count = digest_delivery_count(run=run)
    if run.created_at >= started:
        messages.success(
            request,
            ngettext(
                "Sammendraget sendes nå til %(n)s mottaker.",
                "Sammendraget sendes nå til %(n)s mottakere.",
                count,
            )
            % {"n": count},
        )
    else:
        # A second press within the debounce window sends nothing; say so instead of "sendes nå".
        messages.info(
            request,
            _(
                "Sammendraget ble allerede sendt %(when)s. Ingenting er sendt på nytt; "
                "se mottakerne under."
            )
            % {"when": formats.date_format(timezone.localtime(run.created_at), "DATETIME_FORMAT")},
        )
    return redirect("issues:digest_detail", pk=run.pk)


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
