"""Taking DFØ's answer sheet back in: upload, see what would change per defect, apply."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from issues.models import ImportKind
from issues.services.dfo_answers import dfo_answers_apply, dfo_answers_plan
from issues.services.imports import previous_batch
from issues.spreadsheets import SpreadsheetError
from issues.views.imports import (
    file_error,
    require_liaison_or_management,
    upload_or_404,
    upload_page,
)


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    user = require_liaison_or_management(request)
    return upload_page(
        request,
        user=user,
        kind=ImportKind.DFO_ANSWERS,
        template="issues/imports/dfo_upload.html",
        next_view="issues:dfo_answers_diff",
    )


@login_required
@require_http_methods(["GET", "POST"])
def diff(request: HttpRequest, upload_id: int) -> HttpResponse:
    user = require_liaison_or_management(request)
    stored = upload_or_404(user, upload_id, ImportKind.DFO_ANSWERS)
    context: dict[str, object] = {"upload": stored, "earlier": previous_batch(stored)}
    try:
        plan = dfo_answers_plan(actor=user, upload=stored)
    except (SpreadsheetError, OSError) as exc:
        context["file_error"] = file_error(exc)
        return render(request, "issues/imports/dfo_diff.html", context, status=400)
    status = 200
    if request.method == "POST":
        try:
            result = dfo_answers_apply(actor=user, upload=stored)
        except ValidationError as exc:
            context["apply_error"] = " ".join(exc.messages)
            status = 409
        else:
            if result.created:
                messages.success(request, _("Svarene fra DFØ er lagt inn."))
            else:
                messages.info(request, _("Denne filen er lagt inn før. Ingenting ble endret."))
            return redirect("issues:import_batch", batch_id=result.batch.pk)
    context.update(
        {
            "plan": plan,
            "changed_rows": plan.to_apply,
            "flagged_rows": plan.flagged,
            "unchanged": len(plan.rows) - len(plan.to_apply) - len(plan.flagged),
        }
    )
    return render(request, "issues/imports/dfo_diff.html", context, status=status)
