"""Pages for reporters: known defects, the report form and its suggestions."""

from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import ModelChoiceField
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from issues import page_cache, workflow
from issues.filter_display import filter_context
from issues.filters import DefectFilter
from issues.forms.reporting import ReportForm
from issues.models import DefectStatus
from issues.rendering import render_markdown
from issues.selectors.confirmations import open_confirmations
from issues.selectors.defects import defect_detail, known_defects, match_count
from issues.selectors.reporting import affected_defect_ids, area_categories, similar_defects
from issues.selectors.routines import attach_routines
from issues.services.held_uploads import (
    held_as_uploads,
    held_discard,
    held_keep,
    held_list,
    held_remove,
)
from issues.services.reporting import report_submit
from issues.views.common import Window, current_user, page_window, query_without_page
from issues.views.errors import domain_errors
from issues.vocabulary import CREATE_FIELDS
from priorities.rules import FACT_NAMES, tier_label

KNOWN_FILTERS = ("q", "area", "category", "system", "status")
OPEN_CONFIRMATIONS_SHOWN = 20


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Kjente feil og løsninger: triaged defects the user may see, searchable and filterable."""
    data = QueryDict(mutable=True)
    for key in KNOWN_FILTERS:
        values = [v for v in request.GET.getlist(key) if v.strip()]
        if values:
            data.setlist(key, values)
    filter_form = DefectFilter(data=data).form
    for name in list(filter_form.fields):
        if name not in KNOWN_FILTERS:
            del filter_form.fields[name]
    known_status = [(v, label) for v, label in DefectStatus.choices if v in workflow.KNOWN_STATUSES]
    filter_form.fields["status"].choices = known_status
    try:
        defects = known_defects(user=request.user, filters=data)
        # A broad search's capped count reads a thousand matching rows: it is the same for
        # every page and every reader with this scope until the data changes.
        hits = page_cache.cached_for_params(
            "known-count", request.user, data, lambda: match_count(defects)
        )
        window = page_window(request, defects, hits=hits)
        attach_routines(request.user, window.rows)
    except ValidationError:
        window = Window([], 1, False)
        filter_form.is_valid()
    context = filter_context(
        form=filter_form,
        query=request.GET,
        action=reverse("issues:home"),
        count=window.hits,
        submit=_("Søk"),
    )
    context |= {
        "window": window,
        "query": query_without_page(request),
        "filtered": bool(data),
        "open_confirmations": open_confirmations(user=request.user)[:OPEN_CONFIRMATIONS_SHOWN],
    }
    return render(request, "issues/reporting/known.html", context)


def _form_token(form: ReportForm) -> str:
    value = form["form_token"].value()
    return value if isinstance(value, str) else ""


def _report_context(form: ReportForm, request: HttpRequest, **extra: Any) -> dict[str, Any]:
    title = str(form["title"].value() or "")
    category = str(form["category"].value() or "")
    return {
        "form": form,
        "suggestions": similar_defects(
            user=request.user, text=title, category_id=int(category) if category.isdigit() else None
        ),
        "affected_ids": set(),
        "findings": form.personal_data_findings(),
        "held_files": held_list(user=current_user(request), token=_form_token(form)),
        "files_refused": bool(request.FILES.getlist("attachments"))
        and "attachments" in form.errors,
        **extra,
    }


@login_required
def report_new(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if request.method != "POST":
        form = ReportForm(user=user)
        return render(request, "issues/reporting/report.html", _report_context(form, request))
    if request.POST.get("action") == "preview":
        # Preview keeps what was typed without showing errors for fields not filled in yet.
        form = ReportForm(initial=request.POST.dict(), user=user)
        description = request.POST.get("description", "")
        return render(
            request,
            "issues/reporting/report.html",
            _report_context(form, request, preview=render_markdown(description), previewed=True),
        )
    token = request.POST.get("form_token", "")
    if request.POST.get("remove_held"):
        # Removing a kept attachment is no attempt to send: the form comes back without errors.
        held_remove(user=user, token=token, key=request.POST["remove_held"])
        form = ReportForm(initial=request.POST.dict(), user=user)
        return render(request, "issues/reporting/report.html", _report_context(form, request))
    held = len(held_list(user=user, token=token))
    form = ReportForm(request.POST, request.FILES, user=user, held=held)
    if form.is_valid():
        data = form.cleaned_data
        with domain_errors(request, form=form):
            result = report_submit(
                reporter=user,
                token=data["form_token"],
                facts=form.facts(),
                uploads=[*held_as_uploads(user=user, token=token), *data["attachments"]],
                **{name: data[name] for name in CREATE_FIELDS - set(FACT_NAMES)},
            )
            held_discard(user=user, token=token)
            return redirect("issues:report_done", pk=result.defect.pk)
    # Sent back: the files that passed their checks stay with the form's token.
    new_files = form.cleaned_data.get("attachments") if hasattr(form, "cleaned_data") else None
    held_keep(user=user, token=token, uploads=list(new_files or []))
    return render(
        request, "issues/reporting/report.html", _report_context(form, request), status=400
    )


@login_required
@require_GET
def report_categories(request: HttpRequest) -> HttpResponse:
    """The category select for the chosen area (htmx swaps it in)."""
    initial = {"area": request.GET.get("area", ""), "category": request.GET.get("category", "")}
    if any(value and not value.isdigit() for value in initial.values()):
        return HttpResponseBadRequest(_("Ukjent område eller kategori."))
    form = ReportForm(initial=initial, user=current_user(request))
    categories = area_categories(area_id=request.GET.get("area", ""))
    if categories is not None:
        field = cast(ModelChoiceField, form.fields["category"])
        field.choices = [("", field.empty_label), *((c.pk, str(c)) for c in categories)]
    return render(request, "issues/reporting/_category_field.html", {"field": form["category"]})


@login_required
@require_POST
def report_suggestions(request: HttpRequest) -> HttpResponse:
    # POST, not GET: a title may hold a national ID number, and URLs end up in access logs.
    title = request.POST.get("title", "")[:200]
    category = request.POST.get("category", "")
    suggestions = similar_defects(
        user=request.user, text=title, category_id=int(category) if category.isdigit() else None
    )
    affected = affected_defect_ids(
        user=current_user(request), defect_ids=[d.pk for d in suggestions]
    )
    return render(
        request,
        "issues/reporting/_suggestions.html",
        {"suggestions": suggestions, "affected_ids": affected, "title": title},
    )


@login_required
@require_POST
def report_preview(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "issues/reporting/_preview.html",
        {"preview": render_markdown(request.POST.get("description", "")[:20_000])},
    )


@login_required
@require_GET
def report_done(request: HttpRequest, pk: int) -> HttpResponse:
    defect = defect_detail(user=request.user, pk=pk)
    return render(
        request,
        "issues/reporting/done.html",
        {"defect": defect, "tier_label": tier_label(defect.tier, get_language() or "nb")},
    )
