"""The import pages: upload a defect list, map its columns, see the dry run, confirm."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from issues import permissions
from issues.errors import RoleRequired
from issues.forms.imports import MappingForm, UploadForm, mapping_from_data
from issues.imports import DEFECT_FIELDS, guess_columns
from issues.models import ImportKind, ImportUpload, User
from issues.selectors.imports import (
    DryRun,
    batch_defects,
    dry_run,
    recent_batches,
    visible_batch,
    visible_upload,
)
from issues.services.imports import defects_import, previous_batch, upload_path, upload_store
from issues.spreadsheets import SpreadsheetError, Table, read_table
from issues.views.common import require_triager

# The dry-run page lists every row with an error, and the first rows of the rest.
ROWS_SHOWN = 300
FIELD_NAMES = {f.name for f in DEFECT_FIELDS}


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    user = require_triager(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            file = form.cleaned_data["file"]
            try:
                stored = upload_store(user=user, kind=ImportKind.DEFECTS, file=file, name=file.name)
            except ValidationError as exc:
                form.add_error("file", exc)
            else:
                return redirect("issues:import_mapping", upload_id=stored.pk)
        status = 400
    context = {"form": form, "batches": recent_batches(kind=ImportKind.DEFECTS)}
    return render(request, "issues/imports/upload.html", context, status=status)


def _upload_or_404(user: User, upload_id: int) -> ImportUpload:
    found = visible_upload(user=user, pk=upload_id)
    if found is None or found.kind != ImportKind.DEFECTS:
        raise Http404
    return found


@login_required
@require_http_methods(["GET", "POST"])
def mapping(request: HttpRequest, upload_id: int) -> HttpResponse:
    user = require_triager(request)
    stored = _upload_or_404(user, upload_id)
    earlier = previous_batch(stored)
    try:
        table = read_table(upload_path(stored), stored.original_name)
    except (SpreadsheetError, OSError) as exc:
        message = exc.message if isinstance(exc, SpreadsheetError) else _("Filen finnes ikke.")
        context = {"upload": stored, "file_error": message}
        return render(request, "issues/imports/mapping.html", context, status=400)
    guessed = guess_columns(table.headers, DEFECT_FIELDS)
    data = (
        request.POST
        if request.method == "POST"
        else {f"col-{i}": name for i, name in guessed.items()}
    )
    chosen = mapping_from_data(table, data, FIELD_NAMES)
    plan = dry_run(actor=user, table=table, mapping=chosen)
    form = MappingForm(
        data, table=table, fields=DEFECT_FIELDS, guessed=guessed, unknown=plan.unknown
    )
    valid = form.is_valid()
    status = 200 if valid or request.method == "GET" else 400
    if request.method == "POST" and request.POST.get("action") == "import" and valid:
        if plan.error_rows:
            form.add_error(None, _("Rett feilene i radene under først. Ingenting er importert."))
            status = 400
        else:
            try:
                result = defects_import(actor=user, upload=stored, mapping=chosen, plan=plan)
            except ValidationError as exc:
                form.add_error(None, exc)
                status = 400
            else:
                if result.created:
                    messages.success(request, _("Importen er fullført."))
                else:
                    messages.info(
                        request, _("Denne filen er importert før. Ingenting nytt ble laget.")
                    )
                return redirect("issues:import_batch", batch_id=result.batch.pk)
    return _render_plan(
        request,
        stored=stored,
        table=table,
        form=form,
        plan=plan,
        earlier=earlier,
        valid=valid,
        status=status,
    )


def _render_plan(
    request: HttpRequest,
    *,
    stored: ImportUpload,
    table: Table,
    form: MappingForm,
    plan: DryRun,
    earlier: object,
    valid: bool,
    status: int,
) -> HttpResponse:
    ok_rows = [r for r in plan.rows if not r.errors][:ROWS_SHOWN]
    context = {
        "upload": stored,
        "form": form,
        "plan": plan,
        "error_rows": plan.error_rows,
        "ok_rows": ok_rows,
        "more_rows": len(plan.rows) - len(plan.error_rows) - len(ok_rows),
        "can_import": valid and not plan.error_rows and earlier is None,
        "earlier": earlier,
        "row_count": len(table.rows),
    }
    return render(request, "issues/imports/mapping.html", context, status=status)


@login_required
def batch(request: HttpRequest, batch_id: int) -> HttpResponse:
    user = request.user
    if not isinstance(user, User) or not (
        permissions.is_management(user) or permissions.is_liaison(user)
    ):
        raise RoleRequired(permissions.NEEDS_MANAGEMENT_OR_LIAISON)
    found = visible_batch(user=user, pk=batch_id)
    if found is None:
        raise Http404
    rows = batch_defects(user=user, batch=found)
    context = {
        "batch": found,
        "rows": rows,
        "applied": found.mapping.get("applied", []),
        "flagged": found.mapping.get("flagged", []),
        "is_answers": found.kind == ImportKind.DFO_ANSWERS,
    }
    return render(request, "issues/imports/batch.html", context)
