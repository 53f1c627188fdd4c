"""The import pages: upload a defect list, map its columns, see the dry run, confirm."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from issues import permissions
from issues.forms.imports import MappingForm, UploadForm, initial_data, mapping_from_data
from issues.imports import DEFECT_FIELDS, columns_from_saved, guess_columns
from issues.models import ImportBatch, ImportKind, ImportUpload, User
from issues.selectors.import_batches import (
    batch_defects,
    last_mapping,
    recent_batches,
    visible_batch,
)
from issues.selectors.imports import (
    DryRun,
    dry_run,
    visible_upload,
)
from issues.services.imports import defects_import, previous_batch, upload_path, upload_store
from issues.spreadsheets import SpreadsheetError, Table, read_table
from issues.views.common import require_role, require_triager

# The dry-run page lists every row with an error, and the first rows of the rest.
ROWS_SHOWN = 300
FIELD_NAMES = {f.name for f in DEFECT_FIELDS}


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    user = require_triager(request)
    return upload_page(
        request,
        user=user,
        kind=ImportKind.DEFECTS,
        template="issues/imports/upload.html",
        next_view="issues:import_mapping",
    )


def upload_page(
    request: HttpRequest, *, user: User, kind: str, template: str, next_view: str
) -> HttpResponse:
    """The upload step of either import: keep the file, then go on to ``next_view``."""
    form = UploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            file = form.cleaned_data["file"]
            try:
                stored = upload_store(user=user, kind=kind, file=file, name=file.name)
            except ValidationError as exc:
                form.add_error("file", exc)
            else:
                return redirect(next_view, upload_id=stored.pk)
        status = 400
    context = {"form": form, "batches": recent_batches(kind=kind)}
    return render(request, template, context, status=status)


def require_liaison_or_management(request: HttpRequest) -> User:
    """Who may take DFØ's answers in and see import batches."""
    return require_role(
        request, permissions.sees_everything, permissions.NEEDS_MANAGEMENT_OR_LIAISON
    )


def upload_or_404(user: User, upload_id: int, kind: str) -> ImportUpload:
    found = visible_upload(user=user, pk=upload_id)
    if found is None or found.kind != kind:
        raise Http404
    return found


def file_error(exc: SpreadsheetError | OSError) -> str:
    """What to tell the user about a stored upload that cannot be read."""
    return exc.message if isinstance(exc, SpreadsheetError) else _("Filen finnes ikke.")


@login_required
@require_http_methods(["GET", "POST"])
def mapping(request: HttpRequest, upload_id: int) -> HttpResponse:
    user = require_triager(request)
    stored = upload_or_404(user, upload_id, ImportKind.DEFECTS)
    earlier = previous_batch(stored)
    try:
        table = read_table(upload_path(stored), stored.original_name)
    except (SpreadsheetError, OSError) as exc:
        context = {"upload": stored, "file_error": file_error(exc)}
        return render(request, "issues/imports/mapping.html", context, status=400)
    start, saved_values, saved_from = _starting_point(user, table)
    data = request.POST if request.method == "POST" else initial_data(start, saved_values)
    chosen = mapping_from_data(table, data, FIELD_NAMES)
    plan = dry_run(actor=user, table=table, mapping=chosen)
    form = MappingForm(data, table=table, fields=DEFECT_FIELDS, guessed=start, unknown=plan.unknown)
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
        saved_from=saved_from if request.method == "GET" else None,
        stored=stored,
        table=table,
        form=form,
        plan=plan,
        earlier=earlier,
        valid=valid,
        status=status,
    )


def _starting_point(
    user: User, table: Table
) -> tuple[dict[int, str], dict[str, dict[str, str]], ImportBatch | None]:
    """Columns and values to start from: as the university's last import chose them, where the
    headers and values are the same; otherwise guessed from the headers."""
    guessed = guess_columns(table.headers, DEFECT_FIELDS)
    saved = last_mapping(user=user, kind=ImportKind.DEFECTS)
    if saved is None:
        return guessed, {}, None
    return columns_from_saved(table.headers, saved.columns, guessed), saved.values, saved.batch


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
    saved_from: ImportBatch | None,
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
        "saved_from": saved_from,
    }
    return render(request, "issues/imports/mapping.html", context, status=status)


@login_required
def batch(request: HttpRequest, batch_id: int) -> HttpResponse:
    user = require_liaison_or_management(request)
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
