"""The management team's triage queue: filters, sort, bulk actions, saved filters.

Thin: parse input, call a selector or service, render. Everyone outside the team gets 403."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.backends.utils import csrf_input
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from issues import page_cache
from issues.filter_display import cached_choices, filter_context
from issues.filters import DefectFilter
from issues.formatting import number
from issues.forms.triage import (
    BulkForm,
    SavedFilterForm,
)
from issues.models import Defect
from issues.selectors.deadlines import (
    DeadlineContext,
    before_next_meeting,
    deadline_context,
    defect_deadline,
)
from issues.selectors.triage import (
    DEFAULT_PAGE_SIZE,
    PAGE_SIZES,
    SORTABLE,
    owner_candidates,
    saved_filters,
    triage_page,
)
from issues.services import triage as triage_services
from issues.services.triage import defect_bulk_apply
from issues.templatetags.reporting_tags import status_color
from issues.templatetags.row_tags import deadline_text, status_labels, triage_url_pattern
from issues.views.common import int_param, require_triager
from issues.views.errors import domain_errors
from issues.workflow import UNTRIAGED_STATUSES

QUEUE_PARAMS = ("sort", "page", "size")


def _filter_data(query: QueryDict) -> QueryDict:
    data = query.copy()
    for key in QUEUE_PARAMS:
        data.pop(key, None)
    return data


# The bulk form's token is personal; the cached results carry this marker in its place.
CSRF_MARK = "<!--csrf-->"


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    user = require_triager(request)
    sort = request.GET.get("sort", "")
    filter_data = _filter_data(request.GET)
    parts = page_cache.cached_for_query(
        "triage-queue", request, lambda: _queue_parts(request, user, filter_data, sort)
    )
    # What {% csrf_token %} would have written, put where the cached results left it out.
    token = csrf_input(request)
    saved_query = filter_data.copy()
    if sort:
        saved_query["sort"] = sort
    return render(
        request,
        "issues/triage/queue.html",
        {
            "filters_html": parts["filters"],
            "results_html": mark_safe(parts["results"].replace(CSRF_MARK, token, 1)),  # noqa: S308 - our own rendered template and csrf_input
            "saved_filters": saved_filters(user=user),
            "save_form": SavedFilterForm(initial={"query": saved_query.urlencode()}),
        },
    )


def _queue_parts(
    request: HttpRequest, user: Any, filter_data: QueryDict, sort: str
) -> dict[str, str]:
    """The filter panel and the results, rendered: what ``page_cache`` keeps."""
    filterset = DefectFilter(data=filter_data)
    page = None
    ctx = deadline_context()
    if filterset.form.is_valid():
        try:
            page = triage_page(
                user=user,
                filters=filter_data,
                sort=sort,
                deadlines=ctx,
                page=int_param(request.GET.get("page"), 1),
                size=int_param(request.GET.get("size"), DEFAULT_PAGE_SIZE),
            )
        except ValidationError:
            page = None
    if page is not None:
        # The defect page links back to exactly this view of the queue: filter, sort and page.
        back = QueryDict(mutable=True)
        back["back"] = request.GET.urlencode()
        suffix = f"?{back.urlencode()}" if request.GET else ""
        now = timezone.now()
        shared = _RowShared(
            labels=status_labels(),
            url=triage_url_pattern() + suffix.replace("{", "{{").replace("}", "}}"),
            language=get_language() or "nb",
        )
        page.rows = [_row_view(row, now, shared, ctx) for row in page.rows]  # type: ignore[misc]
    bulk_form = BulkForm()
    # Both forms offer the releases: one cache read for the two.
    cached_choices(filterset.form, bulk_form)
    base = filter_data.urlencode()
    context = {
        "page": page,
        "sort": sort,
        "size": page.size if page else DEFAULT_PAGE_SIZE,
        "page_sizes": PAGE_SIZES,
        "base_query": base,
        "columns": _columns(base, sort),
        "bulk_form": bulk_form,
        **filter_context(
            form=filterset.form,
            query=request.GET,
            action=reverse("issues:triage_queue"),
            count=page.hits if page else None,
            keep=("sort", "size"),
        ),
    }
    return {
        "filters": render_to_string("issues/triage/_queue_filters.html", context, request),
        "results": render_to_string("issues/triage/_queue_results.html", context, request),
    }


COLUMN_LABELS = {
    "key": gettext_lazy("Nøkkel"),
    "title": gettext_lazy("Tittel"),
    "area": gettext_lazy("Område"),
    "institutions": gettext_lazy("Institusjoner"),
    "tier": gettext_lazy("Nivå"),
    "status": gettext_lazy("Status"),
    "age": gettext_lazy("Alder"),
    "cost": gettext_lazy("Kostnad/uke (t)"),
    "affects": gettext_lazy("Gjelder oss også"),
    "dfo": gettext_lazy("DFØ-ref."),
    "release": gettext_lazy("Release"),
}


def _columns(base: str, current: str) -> list[dict[str, Any]]:
    """Header links: a click sorts by the column, a second click reverses it."""
    columns = []
    prefix = f"{base}&" if base else ""
    for name in SORTABLE:
        target = f"-{name}" if current == name else name
        aria = "ascending" if current == name else "descending" if current == f"-{name}" else ""
        columns.append(
            {"label": COLUMN_LABELS[name], "url": f"?{prefix}sort={target}", "aria": aria}
        )
    return columns


@dataclass
class RowView:
    """One queue row, formatted here: 50 rows of template filters and tags cost more than the
    query that fetched them."""

    pk: int
    key: str
    version: int
    title: str
    triage_url: str
    select_label: str
    area_code: str
    codes_text: str
    tier: int
    override_text: str
    reason_text: str
    untriaged: bool
    status_label: str
    status_color: str
    age_text: str
    weekly_cost: str
    affects_count: int
    dfo_text: str
    release_text: str
    deadline_text: str


def _deadline_text(d: Defect, ctx: DeadlineContext) -> str:
    deadline = defect_deadline(d, ctx)
    if deadline is None or not before_next_meeting(d, ctx):
        return ""
    return deadline_text(deadline, ctx.today)


@dataclass
class _RowShared:
    """What every row of a page needs, computed once for the page."""

    labels: Mapping[str, str]
    url: str  # the triage page's URL with "{}" for the id, the way back to the queue included
    language: str


def _row_view(d: Defect, now: Any, shared: _RowShared, ctx: DeadlineContext) -> RowView:
    days = (now - d.created_at).days
    overridden = d.tier_override is not None
    reason = d.override_reason if overridden else "; ".join(d.reason_texts(shared.language))
    return RowView(
        pk=d.pk,
        key=d.key,
        version=d.version,
        title=d.title,
        triage_url=shared.url.format(d.pk),
        select_label=_("Velg %(key)s") % {"key": d.key},
        area_code=d.area.code,
        codes_text=", ".join(getattr(d, "affected_codes", [])),
        tier=d.tier,
        override_text=_("overstyrt (regel: %(rule)s)") % {"rule": d.rule_tier}
        if overridden
        else "",
        reason_text=Truncator(reason).chars(80),
        untriaged=d.status in UNTRIAGED_STATUSES,
        status_label=shared.labels.get(d.status, d.status),
        status_color=status_color(d.status),
        age_text=ngettext("%(n)s dag", "%(n)s dager", days) % {"n": days},
        weekly_cost=number(d.weekly_cost, 1),
        affects_count=d.affects_count,
        dfo_text=d.dfo_reference or "–",
        release_text=d.target_release.name if d.target_release else "–",
        deadline_text=_deadline_text(d, ctx),
    )


@login_required
@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    user = require_triager(request)
    form = BulkForm(request.POST)
    versions: dict[int, int] = {}
    for raw in request.POST.getlist("ids"):
        pk = int_param(raw, 0)
        if pk:
            versions[pk] = int_param(request.POST.get(f"v{pk}"), 0)
    back = request.POST.get("back", "")
    if not versions:
        messages.error(request, _("Velg minst én sak."))
        return redirect(f"{reverse('issues:triage_queue')}?{back}")
    if not form.is_valid():
        errors = " ".join(str(e) for errs in form.errors.values() for e in errs)
        messages.error(request, errors)
        return redirect(f"{reverse('issues:triage_queue')}?{back}")
    result = defect_bulk_apply(
        actor=user, action=form.cleaned_data["action"], versions=versions, value=form.value()
    )
    return render(request, "issues/triage/bulk_result.html", {"result": result, "back": back})


@login_required
@require_POST
def saved_filter_save(request: HttpRequest) -> HttpResponse:
    user = require_triager(request)
    form = SavedFilterForm(request.POST)
    query = request.POST.get("query", "")
    if form.is_valid():
        with domain_errors(request):
            triage_services.saved_filter_save(
                owner=user,
                name=form.cleaned_data["name"],
                query=query,
                shared=form.cleaned_data["shared"],
            )
            messages.success(request, _("Filteret er lagret."))
    else:
        messages.error(request, _("Gi filteret et navn."))
    return redirect(f"{reverse('issues:triage_queue')}?{query}")


@login_required
@require_POST
def saved_filter_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = require_triager(request)
    with domain_errors(request):
        triage_services.saved_filter_delete(owner=user, pk=pk)
        messages.success(request, _("Filteret er slettet."))
    return redirect("issues:triage_queue")


@login_required
@require_GET
def owner_search(request: HttpRequest) -> HttpResponse:
    user = require_triager(request)
    candidates = owner_candidates(user=user, text=request.GET.get("q", ""))
    return render(request, "issues/triage/owner_options.html", {"candidates": candidates})
