"""The management team's triage pages: queue, one defect, bulk actions, merge, meeting, dashboard.

Thin: parse input, call a selector or service, render. Everyone outside the team gets 403 on the
team's pages and sees nothing of them; the dashboard is open to all but counts only what the user
may see.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from issues import permissions, selectors, selectors_meeting, selectors_triage, services
from issues import services_triage as triage
from issues.errors import ConcurrentEdit
from issues.filters import DefectFilter
from issues.forms_triage import (
    BulkForm,
    DefectTriageForm,
    MergeForm,
    OverrideForm,
    SavedFilterForm,
    TransitionForm,
)
from issues.models import Defect, User
from issues.models.triage import UNTRIAGED_STATUSES

QUEUE_PARAMS = ("sort", "page", "size")


def _triager(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not permissions.can_triage(user):
        raise PermissionDenied
    return user


def _filter_data(query: QueryDict) -> QueryDict:
    data = query.copy()
    for key in QUEUE_PARAMS:
        data.pop(key, None)
    return data


def _int(value: str | None, default: int) -> int:
    try:
        return int(value or default)
    except ValueError:
        return default


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    user = _triager(request)
    filter_data = _filter_data(request.GET)
    filterset = DefectFilter(data=filter_data)
    for field in filterset.form.fields.values():
        field.widget.attrs.setdefault("class", "ds-input")
    sort = request.GET.get("sort", "")
    page = None
    if filterset.form.is_valid():
        try:
            page = selectors_triage.triage_page(
                user=user,
                filters=filter_data,
                sort=sort,
                page=_int(request.GET.get("page"), 1),
                size=_int(request.GET.get("size"), selectors_triage.DEFAULT_PAGE_SIZE),
            )
        except ValidationError:
            page = None
    if page is not None:
        page.rows = [_row_view(row, timezone.now()) for row in page.rows]  # type: ignore[misc]
    base = filter_data.urlencode()
    return render(
        request,
        "issues/triage/queue.html",
        {
            "filterset": filterset,
            "page": page,
            "sort": sort,
            "size": page.size if page else selectors_triage.DEFAULT_PAGE_SIZE,
            "page_sizes": selectors_triage.PAGE_SIZES,
            "base_query": base,
            "columns": _columns(base, sort),
            "bulk_form": BulkForm(),
            "saved_filters": selectors_triage.saved_filters(user=user),
            "save_form": SavedFilterForm(initial={"query": base}),
        },
    )


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
    for name in selectors_triage.SORTABLE:
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
    age_text: str
    weekly_cost: Any
    affects_count: int
    dfo_text: str
    release_text: str


def _row_view(d: Defect, now: Any) -> RowView:
    days = (now - d.created_at).days
    overridden = d.tier_override is not None
    reason = d.override_reason if overridden else "; ".join(d.reason_texts(get_language() or "nb"))
    return RowView(
        pk=d.pk,
        key=d.key,
        version=d.version,
        title=d.title,
        triage_url=reverse("issues:triage_defect", args=[d.pk]),
        select_label=_("Velg %(key)s") % {"key": d.key},
        area_code=d.area.code,
        codes_text=", ".join(getattr(d, "affected_codes", [])),
        tier=d.tier,
        override_text=_("overstyrt (regel: %(rule)s)") % {"rule": d.rule_tier}
        if overridden
        else "",
        reason_text=Truncator(reason).chars(80),
        untriaged=d.status in UNTRIAGED_STATUSES,
        status_label=str(d.get_status_display()),
        age_text=ngettext("%(n)s dag", "%(n)s dager", days) % {"n": days},
        weekly_cost=d.weekly_cost,
        affects_count=d.affects_count,
        dfo_text=d.dfo_reference or "–",
        release_text=d.target_release.name if d.target_release else "–",
    )


@login_required
@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    user = _triager(request)
    form = BulkForm(request.POST)
    versions: dict[int, int] = {}
    for raw in request.POST.getlist("ids"):
        pk = _int(raw, 0)
        if pk:
            versions[pk] = _int(request.POST.get(f"v{pk}"), 0)
    back = request.POST.get("back", "")
    if not versions:
        messages.error(request, _("Velg minst én sak."))
        return redirect(f"{reverse('issues:triage_queue')}?{back}")
    if not form.is_valid():
        errors = " ".join(str(e) for errs in form.errors.values() for e in errs)
        messages.error(request, errors)
        return redirect(f"{reverse('issues:triage_queue')}?{back}")
    result = triage.defect_bulk_apply(
        actor=user, action=form.cleaned_data["action"], versions=versions, value=form.value()
    )
    return render(request, "issues/triage/bulk_result.html", {"result": result, "back": back})


@login_required
@require_POST
def saved_filter_save(request: HttpRequest) -> HttpResponse:
    user = _triager(request)
    form = SavedFilterForm(request.POST)
    query = request.POST.get("query", "")
    if form.is_valid():
        try:
            triage.saved_filter_save(
                owner=user,
                name=form.cleaned_data["name"],
                query=query,
                shared=form.cleaned_data["shared"],
            )
            messages.success(request, _("Filteret er lagret."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Gi filteret et navn."))
    return redirect(f"{reverse('issues:triage_queue')}?{query}")


@login_required
@require_POST
def saved_filter_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = _triager(request)
    try:
        triage.saved_filter_delete(owner=user, pk=pk)
        messages.success(request, _("Filteret er slettet."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("issues:triage_queue")


@login_required
@require_GET
def owner_search(request: HttpRequest) -> HttpResponse:
    user = _triager(request)
    candidates = selectors_triage.owner_candidates(user=user, text=request.GET.get("q", ""))
    return render(request, "issues/triage/owner_options.html", {"candidates": candidates})


def _defect_context(user: User, defect: Defect, **forms: Any) -> dict[str, Any]:
    allowed = permissions.allowed_transitions(user, defect)
    return {
        "defect": defect,
        "form": forms.get("form") or DefectTriageForm(instance=defect),
        "transition_form": forms.get("transition_form")
        or TransitionForm(initial={"version": defect.version}, allowed=allowed),
        "override_form": forms.get("override_form")
        or OverrideForm(initial={"version": defect.version, "tier": defect.tier_override}),
        "conflict": forms.get("conflict"),
        "timeline": selectors.defect_timeline(defect=defect),
        "duplicates": defect.duplicates.all(),
        "can_transition": bool(allowed),
    }


def _conflict(fresh: Defect, exc: ConcurrentEdit) -> dict[str, Any]:
    rows = []
    for name in exc.changed:
        try:
            label = getattr(Defect._meta.get_field(name), "verbose_name", name)
        except FieldDoesNotExist:  # history may name a field the model no longer has
            label = name
        current = getattr(fresh, f"get_{name}_display", None)
        value = current() if callable(current) else getattr(fresh, name, "")
        rows.append({"label": label, "current": value})
    return {"message": str(exc), "rows": rows, "version": fresh.version}


def _rebound(form_class: type, request: HttpRequest, version: int, **kwargs: Any) -> Any:
    """The user's input again, carrying the current version so a re-submit applies it."""
    data = request.POST.copy()
    data["version"] = str(version)
    return form_class(data, **kwargs)


@login_required
def defect_triage(request: HttpRequest, pk: int) -> HttpResponse:
    user = _triager(request)
    defect = selectors.defect_detail(user=user, pk=pk)
    if request.method != "POST":
        return render(request, "issues/triage/defect.html", _defect_context(user, defect))
    action = request.POST.get("action")
    forms: dict[str, Any] = {}
    try:
        if action == "edit":
            form = DefectTriageForm(request.POST, instance=defect)
            forms["form"] = form
            if form.is_valid():
                services.defect_update(
                    defect=defect,
                    actor=user,
                    expected_version=form.cleaned_data["version"],
                    data=form.changes(),
                )
                messages.success(request, _("Endringene er lagret."))
                return redirect("issues:triage_defect", pk=defect.pk)
        elif action == "transition":
            allowed = permissions.allowed_transitions(user, defect)
            tform = TransitionForm(request.POST, allowed=allowed)
            forms["transition_form"] = tform
            if tform.is_valid():
                services.defect_transition(
                    defect=defect,
                    actor=user,
                    to_status=tform.cleaned_data["to_status"],
                    expected_version=tform.cleaned_data["version"],
                    note=tform.cleaned_data["note"],
                )
                messages.success(request, _("Statusen er endret."))
                return redirect("issues:triage_defect", pk=defect.pk)
        elif action == "override":
            oform = OverrideForm(request.POST)
            forms["override_form"] = oform
            if oform.is_valid():
                services.defect_override_tier(
                    defect=defect,
                    actor=user,
                    tier=oform.cleaned_data["tier"],
                    reason=oform.cleaned_data["reason"],
                    expected_version=oform.cleaned_data["version"],
                )
                messages.success(request, _("Nivået er overstyrt."))
                return redirect("issues:triage_defect", pk=defect.pk)
    except ConcurrentEdit as exc:
        fresh = selectors.defect_detail(user=user, pk=pk)
        forms["conflict"] = _conflict(fresh, exc)
        if action == "edit":
            forms["form"] = DefectTriageForm.after_conflict(request.POST, fresh=fresh, exc=exc)
        elif action == "transition":
            allowed = permissions.allowed_transitions(user, fresh)
            forms["transition_form"] = _rebound(
                TransitionForm, request, fresh.version, allowed=allowed
            )
        elif action == "override":
            forms["override_form"] = _rebound(OverrideForm, request, fresh.version)
        return render(
            request, "issues/triage/defect.html", _defect_context(user, fresh, **forms), status=409
        )
    except ValidationError as exc:
        target = next((f for f in forms.values() if f is not None), None)
        if target is not None and hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                key = field if field in target.fields else None
                for message in errors:
                    target.add_error(key, message)
        else:
            messages.error(request, " ".join(exc.messages))
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("Du har ikke tilgang til å gjøre dette."))
    return render(
        request, "issues/triage/defect.html", _defect_context(user, defect, **forms), status=400
    )


@login_required
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    user = _triager(request)
    duplicate = selectors.defect_detail(user=user, pk=pk)
    text = request.GET.get("q", "")
    candidates = selectors_triage.merge_candidates(user=user, text=text, exclude=duplicate)
    canonical = None
    form = None
    chosen = request.POST.get("canonical") or request.GET.get("canonical")
    if chosen:
        canonical = selectors.defect_detail(user=user, pk=chosen)
        form = MergeForm(
            initial={
                "canonical": canonical.pk,
                "duplicate_version": duplicate.version,
                "canonical_version": canonical.version,
            }
        )
    status = 200
    error = None
    if request.method == "POST" and canonical is not None:
        form = MergeForm(request.POST)
        if form.is_valid():
            try:
                triage.defect_merge(
                    duplicate=duplicate,
                    canonical=canonical,
                    actor=user,
                    duplicate_version=form.cleaned_data["duplicate_version"],
                    canonical_version=form.cleaned_data["canonical_version"],
                    note=form.cleaned_data["note"],
                )
                messages.success(
                    request,
                    _("%(dup)s er slått sammen med %(canon)s.")
                    % {"dup": duplicate.key, "canon": canonical.key},
                )
                return redirect("issues:triage_defect", pk=canonical.pk)
            except ConcurrentEdit as exc:
                error, status = str(exc), 409
                data = request.POST.copy()
                data["duplicate_version"] = str(duplicate.version)
                data["canonical_version"] = str(canonical.version)
                form = MergeForm(data)
            except (ValidationError, PermissionDenied) as exc:
                error, status = " ".join(getattr(exc, "messages", [str(exc)])), 400
    return render(
        request,
        "issues/triage/merge.html",
        {
            "duplicate": duplicate,
            "canonical": canonical,
            "candidates": candidates,
            "q": text,
            "form": form,
            "error": error,
        },
        status=status,
    )


@login_required
@require_GET
def meeting(request: HttpRequest) -> HttpResponse:
    agenda = selectors_meeting.meeting_agenda(user=request.user)
    if agenda is None:
        raise PermissionDenied
    return render(request, "issues/triage/meeting.html", {"agenda": agenda})


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    data = selectors_triage.dashboard(user=request.user)
    # Chart legends come from here so they follow the user's language like the tables do.
    chart_data = {
        **data,
        "labels": {
            "tier": [str(_("Nivå %(tier)s") % {"tier": t}) for t in (1, 2, 3)],
            "opened": str(_("Meldt")),
            "closed": str(_("Lukket")),
            "open": str(_("Åpne saker")),
            "hours": str(_("Timer per uke")),
            "affects": str(_("Gjelder oss også")),
        },
    }
    return render(request, "issues/triage/dashboard.html", {"data": chart_data})
