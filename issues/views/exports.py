"""The escalation page and exports of the current filter (CSV / XLSX / PDF).

A small export is the response itself. A large one (``services.exports.SYNC_MAX_ROWS``) answers
202 Accepted with its job's status (JSON) and a Location to poll; the file is downloaded from
``export_job_file`` when the job is done. A browser is sent (303) to the job's progress page
instead, which polls a fragment of itself until the file is ready or the job has failed.
"""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    JsonResponse,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from issues import exports, exports_sql, permissions
from issues.filter_display import UNSET, describe_filters, filter_context
from issues.filters import DefectFilter
from issues.models import Defect, ExportFormat, ExportLog, ExportState, User
from issues.selectors.defects import defect_count, defect_list
from issues.services.exports import export_job_queue, export_log, export_progress
from issues.views.common import require_role

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Query parameters that belong to the page, not to the filter.
NON_FILTER_PARAMS = frozenset({"page", "format"})


def _require_export(request: HttpRequest) -> User:
    return require_role(request, permissions.can_export, permissions.NEEDS_MANAGEMENT_OR_LIAISON)


def _filter_params(request: HttpRequest) -> dict[str, list[str]]:
    """The filter actually in use, for the export log and the PDF header."""
    params = {}
    for key, values in request.GET.lists():
        kept = [v for v in values if v not in UNSET]
        if key not in NON_FILTER_PARAMS and kept:
            params[key] = kept
    return params


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = _require_export(request)
    fs = DefectFilter(data=request.GET)
    count = defect_count(user=user, filters=request.GET) if fs.form.is_valid() else None
    context = filter_context(
        form=fs.form, query=request.GET, action=reverse("issues:escalation"), count=count
    )
    context["export_query"] = request.GET.urlencode()
    return render(request, "issues/escalation/index.html", context)


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
    log = export_log(user=user, fmt=fmt, filters=params, queryset=queryset)
    if log.state == ExportState.QUEUED:
        query = {k: v for k, v in request.GET.lists() if k not in NON_FILTER_PARAMS}
        export_job_queue(log=log, params=query, language=translation.get_language())
        if _wants_html(request):
            return _to_progress_page(log, params)
        status_url = reverse("issues:export_job", args=[log.pk])
        response: HttpResponse | StreamingHttpResponse = JsonResponse(_job_status(log), status=202)
        response["Location"] = status_url
        return response
    filter_text = describe_filters(DefectFilter(data=request.GET).form, request.GET) or _(
        "Ingen filter (alle saker du kan se)"
    )
    response = _export_response(fmt, queryset, filter_text, log.row_count)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="bott-saker-{stamp}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


def _wants_html(request: HttpRequest) -> bool:
    """A browser's navigation asks for HTML first; API and script clients asking for JSON, and
    those that say nothing (``*/*``), keep the 202 JSON."""
    return request.get_preferred_type(["application/json", "text/html"]) == "text/html"


def _to_progress_page(log: ExportLog, params: dict[str, list[str]]) -> HttpResponseRedirect:
    page = reverse("issues:export_job_page", args=[log.pk])
    redirect = HttpResponseRedirect(f"{page}?{urlencode(params, doseq=True)}" if params else page)
    redirect.status_code = 303  # See Other: the export itself is not at that address
    return redirect


def _export_response(
    fmt: str, queryset: QuerySet[Defect], filter_text: str, total: int
) -> HttpResponse | StreamingHttpResponse:
    if fmt == ExportFormat.CSV:
        return StreamingHttpResponse(
            exports_sql.csv_copy_chunks(queryset)
            if exports_sql.copy_available()
            else (c.encode() for c in exports.csv_chunks(exports.export_rows(queryset))),
            content_type="text/csv; charset=utf-8",
        )
    if fmt == ExportFormat.XLSX:
        return HttpResponse(
            exports.xlsx_bytes(exports.export_rows(queryset), title=_("Saker")),
            content_type=XLSX_TYPE,
        )
    return HttpResponse(
        exports.pdf_bytes(
            exports.export_rows(queryset[: exports.PDF_MAX_ROWS]),
            title=_("BOTT – saker for DFØ"),
            filter_text=filter_text,
            total=total,
            generated=timezone.localtime(),
        ),
        content_type="application/pdf",
    )


def _job_status(log: ExportLog) -> dict[str, object]:
    done = log.state == ExportState.DONE
    return {
        "id": log.pk,
        "format": log.format,
        "state": log.state,
        "state_label": str(ExportState(log.state).label),
        "rows": log.row_count,
        "rows_written": log.rows_written
        if log.state in (ExportState.DONE, ExportState.FAILED)
        else export_progress(log.pk) or 0,
        "status_url": reverse("issues:export_job", args=[log.pk]),
        "download_url": reverse("issues:export_job_file", args=[log.pk]) if done else None,
    }


def _own_job(request: HttpRequest, pk: int) -> ExportLog:
    """The requester's own export job; anyone else's is not there (404)."""
    user = _require_export(request)
    return get_object_or_404(
        ExportLog.objects.exclude(state=ExportState.STREAMED), pk=pk, user=user
    )


@login_required
@require_GET
def export_job(request: HttpRequest, pk: int) -> JsonResponse:
    """Progress of a queued export, polled by the page that started it."""
    response = JsonResponse(_job_status(_own_job(request, pk)))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def export_job_file(request: HttpRequest, pk: int) -> FileResponse:
    log = _own_job(request, pk)
    if log.state != ExportState.DONE or not log.file:
        raise Http404
    stamp = timezone.localtime(log.created_at).strftime("%Y%m%d-%H%M")
    response = FileResponse(
        log.file.open("rb"),
        as_attachment=True,
        filename=f"bott-saker-{stamp}.{log.format}",
        content_type=XLSX_TYPE if log.format == ExportFormat.XLSX else "text/csv; charset=utf-8",
    )
    response["Cache-Control"] = "no-store"
    return response


def _job_page_context(request: HttpRequest, log: ExportLog) -> dict[str, object]:
    """The progress page and its polled fragment; the filter travels in the query string so the
    way back (after a failure) keeps it unmasked, as the user typed it."""
    job = _job_status(log)
    rows, written = log.row_count, job["rows_written"]
    written = written if isinstance(written, int) else 0  # a job that raised counted none
    query = QueryDict(mutable=True)
    for key, values in request.GET.lists():
        if key not in NON_FILTER_PARAMS:
            query.setlist(key, values)
    suffix = f"?{query.urlencode()}" if query else ""
    return {
        "job": job,
        "format_label": ExportFormat(log.format).label,
        "percent": min(100, written * 100 // rows) if rows else 100,
        "finished": log.state in (ExportState.DONE, ExportState.FAILED),
        "count_mismatch": log.state == ExportState.FAILED and log.error == "row count",
        "back_url": reverse("issues:escalation") + suffix,
        "progress_url": reverse("issues:export_job_progress", args=[log.pk]) + suffix,
    }


@login_required
@require_GET
def export_job_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A queued export for a person: progress, then the download or why it failed."""
    log = _own_job(request, pk)
    return render(request, "issues/escalation/export_job.html", _job_page_context(request, log))


@login_required
@require_GET
def export_job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The part of the progress page that htmx polls while the job runs."""
    log = _own_job(request, pk)
    context = _job_page_context(request, log) | {"polled": True}
    response = render(request, "issues/escalation/_export_job_progress.html", context)
    response["Cache-Control"] = "no-store"
    return response
