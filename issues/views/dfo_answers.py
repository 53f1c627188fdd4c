"""Taking DFØ's answer sheet back in: upload, see what would change per defect, apply."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from issues import permissions
from issues.errors import RoleRequired
from issues.forms.imports import UploadForm
from issues.models import ImportKind, ImportUpload, User
from issues.selectors.imports import recent_batches, visible_upload
from issues.services.dfo_answers import dfo_answers_apply, dfo_answers_plan
from issues.services.imports import previous_batch, upload_store
from issues.spreadsheets import SpreadsheetError


def _require_liaison_or_management(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not (
        permissions.is_management(user) or permissions.is_liaison(user)
    ):
        raise RoleRequired(permissions.NEEDS_MANAGEMENT_OR_LIAISON)
    return user


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    user = _require_liaison_or_management(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            file = form.cleaned_data["file"]
            try:
                stored = upload_store(
                    user=user, kind=ImportKind.DFO_ANSWERS, file=file, name=file.name
                )
            except ValidationError as exc:
                form.add_error("file", exc)
            else:
                return redirect("issues:dfo_answers_diff", upload_id=stored.pk)
        status = 400
    context = {"form": form, "batches": recent_batches(kind=ImportKind.DFO_ANSWERS)}
    return render(request, "issues/imports/dfo_upload.html", context, status=status)


def _upload_or_404(user: User, upload_id: int) -> ImportUpload:
    found = visible_upload(user=user, pk=upload_id)
    if found is None or found.kind != ImportKind.DFO_ANSWERS:
        raise Http404
    return found


@login_required
@require_http_methods(["GET", "POST"])
def diff(request: HttpRequest, upload_id: int) -> HttpResponse:
    user = _require_liaison_or_management(request)
    stored = _upload_or_404(user, upload_id)
    context: dict[str, object] = {"upload": stored, "earlier": previous_batch(stored)}
    try:
        plan = dfo_answers_plan(actor=user, upload=stored)
    except (SpreadsheetError, OSError) as exc:
        context["file_error"] = (
            exc.message if isinstance(exc, SpreadsheetError) else _("Filen finnes ikke.")
        )
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
