"""The escalation page and exports of the current filter (CSV / XLSX / PDF)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from issues import exports, exports_sql, permissions
from issues.filters import DefectFilter
from issues.models import ExportFormat, User
from issues.selectors.defects import defect_list
from issues.services.exports import export_log

# Query parameters that belong to the page, not to the filter.
NON_FILTER_PARAMS = frozenset({"page", "format"})


def _require_export(request: HttpRequest) -> User:
    if not permissions.can_export(request.user):
        raise PermissionDenied
    assert isinstance(request.user, User)
    return request.user


# What an untouched filter form submits: an empty text box, a yes/no select left on "unknown".
UNSET_VALUES = frozenset({"", "unknown"})


def _filter_params(request: HttpRequest) -> dict[str, list[str]]:
    """The filter actually in use, for the export log and the PDF header."""
    params = {}
    for key, values in request.GET.lists():
        kept = [v for v in values if v not in UNSET_VALUES]
        if key not in NON_FILTER_PARAMS and kept:
            params[key] = kept
    return params


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    _require_export(request)
    fs = DefectFilter(data=request.GET or None, queryset=None)
    return render(request, "issues/escalation/index.html", {"filter_form": fs.form})


@login_required
@require_GET
def export(request: HttpRequest, fmt: str) -> HttpResponse | StreamingHttpResponse:
    user = _require_export(request)
    if fmt not in ExportFormat.values:
        return HttpResponseBadRequest(_("Ukjent format."))
    params = _filter_params(request)
    try:
        queryset = defect_list(user=user, filters=request.GET)
    except ValidationError as exc:
        text = "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in exc.message_dict.items())
        return HttpResponseBadRequest(_("Ugyldig filter: %(errors)s") % {"errors": text})
    total = export_log(user=user, fmt=fmt, filters=params, queryset=queryset)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    filename = f"bott-saker-{stamp}.{fmt}"
    title = _("BOTT – saker for DFØ")
    if fmt == ExportFormat.CSV:
        response: HttpResponse | StreamingHttpResponse = StreamingHttpResponse(
            exports_sql.csv_copy_chunks(queryset)
            if exports_sql.copy_available()
            else (c.encode() for c in exports.csv_chunks(exports.export_rows(queryset))),
            content_type="text/csv; charset=utf-8",
        )
    elif fmt == ExportFormat.XLSX:
        response = HttpResponse(
            exports.xlsx_bytes(exports.export_rows(queryset), title=_("Saker")),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(
            exports.pdf_bytes(
                exports.export_rows(queryset[: exports.PDF_MAX_ROWS]),
                title=title,
                filter_text=exports.describe_filters(params),
                total=total,
                generated=timezone.localtime(),
            ),
            content_type="application/pdf",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
