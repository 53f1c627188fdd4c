"""Pages for reporters: known defects, the report form, the defect page, my/followed defects."""

from dataclasses import dataclass
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms import ModelChoiceField
from django.http import FileResponse, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from issues import (
    permissions,
    selectors,
    selectors_reporting,
    services,
    services_reporting,
    workflow,
)
from issues.downloads import attachment_response
from issues.filters import DefectFilter
from issues.forms_reporting import AttachmentForm, CommentForm, ReportForm
from issues.models import Area, Category, Defect, DefectStatus, User
from issues.rendering import render_markdown
from priorities.rules import FACTS, tier_label

PER_PAGE = 25
KNOWN_FILTERS = ("q", "area", "category", "system", "status")


@dataclass
class Window:
    """One page of rows without counting everything: fetch one row more to know if there is a next."""

    rows: list[Defect]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def _window(request: HttpRequest, queryset: QuerySet[Defect], per_page: int = PER_PAGE) -> Window:
    try:
        number = max(1, min(int(request.GET.get("side", "1")), 10_000))
    except ValueError:
        number = 1
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    return Window(rows[:per_page], number, len(rows) > per_page)


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("side", None)
    return params.urlencode()


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


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
    known_status = [(v, label) for v, label in DefectStatus.choices if v in workflow.KNOWN_STATUSES]
    filter_form.fields["status"].choices = known_status
    try:
        defects = selectors.known_defects(user=request.user, filters=data)
        window = _window(request, defects)
    except ValidationError:
        window = Window([], 1, False)
        filter_form.is_valid()
    return render(
        request,
        "issues/reporting/known.html",
        {
            "window": window,
            "filter_form": filter_form,
            "query": _query_without_page(request),
            "filtered": bool(data),
        },
    )


def _report_context(form: ReportForm, request: HttpRequest, **extra: Any) -> dict[str, Any]:
    title = str(form["title"].value() or "")
    return {
        "form": form,
        "suggestions": selectors_reporting.similar_defects(user=request.user, text=title),
        "affected_ids": set(),
        "findings": form.personal_data_findings(),
        "had_files": bool(request.FILES.getlist("attachments")),
        **extra,
    }


@login_required
def report_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
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
    form = ReportForm(request.POST, request.FILES, user=user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = services_reporting.report_submit(
                reporter=user,
                token=data["form_token"],
                title=data["title"],
                area=data["area"],
                category=data["category"],
                system=data["system"],
                institution=data["institution"],
                unit=data["unit"],
                kind=data["kind"],
                description=data["description"],
                facts=form.facts(),
                extra_hours_per_week=data["extra_hours_per_week"],
                people_affected=data["people_affected"],
                workaround=data["workaround"],
                workaround_hours_per_week=data["workaround_hours_per_week"],
                deadline=data["deadline"],
                confidential=data["confidential"],
                uploads=data["attachments"],
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            return redirect("issues:report_done", pk=result.defect.pk)
    return render(
        request, "issues/reporting/report.html", _report_context(form, request), status=400
    )


def _add_service_errors(form: ReportForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
@require_GET
def report_categories(request: HttpRequest) -> HttpResponse:
    """The category select for the chosen area (htmx swaps it in)."""
    initial = {"area": request.GET.get("area", ""), "category": request.GET.get("category", "")}
    form = ReportForm(initial=initial, user=_user(request))
    area_id = request.GET.get("area", "")
    if area_id.isdigit() and Area.objects.filter(pk=area_id, active=True).exists():
        qs = Category.objects.filter(active=True, area_id=area_id)
        field = cast(ModelChoiceField, form.fields["category"])
        field.choices = [("", field.empty_label), *((c.pk, str(c)) for c in qs)]
    return render(request, "issues/reporting/_category_field.html", {"field": form["category"]})


@login_required
@require_GET
def report_suggestions(request: HttpRequest) -> HttpResponse:
    title = request.GET.get("title", "")[:200]
    suggestions = selectors_reporting.similar_defects(user=request.user, text=title)
    affected = selectors_reporting.affected_defect_ids(
        user=_user(request), defect_ids=[d.pk for d in suggestions]
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
    defect = selectors.defect_detail(user=request.user, pk=pk)
    return render(
        request,
        "issues/reporting/done.html",
        {"defect": defect, "tier_label": tier_label(defect.tier, get_language() or "nb")},
    )


def _detail_context(request: HttpRequest, defect: Defect, **extra: Any) -> dict[str, Any]:
    user = request.user
    return {
        "defect": defect,
        "comments": selectors.defect_comments(user=user, defect=defect),
        "timeline": selectors.defect_timeline(defect=defect),
        "attachments": selectors_reporting.defect_attachments(user=user, defect=defect),
        "institutions": selectors_reporting.affected_institutions(defect=defect),
        "user_affects": selectors_reporting.user_affects(user=user, defect=defect),
        "user_follows": selectors_reporting.user_follows(user=user, defect=defect),
        "can_mark_affected": permissions.can_mark_affected(user, defect),
        "rule_label": tier_label(defect.rule_tier, get_language() or "nb"),
        "tier_label": tier_label(defect.tier, get_language() or "nb"),
        "facts": [(f.question(get_language() or "nb"), getattr(defect, f.name)) for f in FACTS],
        "comment_form": extra.pop("comment_form", None) or CommentForm(),
        "attachment_form": extra.pop("attachment_form", None) or AttachmentForm(),
        **extra,
    }


@login_required
@require_GET
def defect_detail(request: HttpRequest, pk: int) -> HttpResponse:
    defect = selectors.defect_detail(user=request.user, pk=pk)
    return render(request, "issues/reporting/detail.html", _detail_context(request, defect))


@login_required
@require_POST
def comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    defect = selectors.defect_detail(user=request.user, pk=pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_create(
                defect=defect, author=_user(request), body=form.cleaned_data["body"]
            )
        except ValidationError as exc:
            form.add_error("body", exc.messages)
        else:
            messages.success(request, _("Kommentaren er lagt til."))
            return redirect(f"{defect.get_absolute_url()}#kommentarer")
    context = _detail_context(request, defect, comment_form=form)
    return render(request, "issues/reporting/detail.html", context, status=400)


@login_required
@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    defect = selectors.defect_detail(user=request.user, pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        services_reporting.attachment_add(
            defect=defect, actor=_user(request), upload=form.cleaned_data["file"]
        )
        messages.success(request, _("Vedlegget er lagt til."))
        return redirect(f"{defect.get_absolute_url()}#vedlegg")
    context = _detail_context(request, defect, attachment_form=form)
    return render(request, "issues/reporting/detail.html", context, status=400)


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    attachment = selectors_reporting.visible_attachment_or_404(
        user=request.user, defect_pk=pk, attachment_pk=attachment_pk
    )
    return attachment_response(attachment)


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@login_required
@require_POST
def affects_us(request: HttpRequest, pk: int) -> HttpResponse:
    defect = selectors.defect_detail(user=request.user, pk=pk)
    user = _user(request)
    remove = request.POST.get("action") == "remove"
    try:
        if remove:
            services.affects_us_remove(defect=defect, user=user)
        else:
            services.affects_us_add(defect=defect, user=user)
    except PermissionDenied:
        refusal = _("Du må være knyttet til en institusjon for å si «gjelder oss også».")
        if _is_htmx(request):
            context = {"defect": defect, "refusal": refusal}
            return render(request, "issues/reporting/_affects_done.html", context)
        messages.error(request, refusal)
        return redirect(defect)
    if _is_htmx(request):
        return render(request, "issues/reporting/_affects_done.html", {"defect": defect})
    if remove:
        messages.success(request, _("Fjernet: gjelder ikke lenger oss."))
    else:
        messages.success(
            request,
            _("Registrert: %(key)s gjelder også %(inst)s. Du følger nå saken.")
            % {"key": defect.key, "inst": user.institution},
        )
    return redirect(defect)


@login_required
@require_POST
def follow(request: HttpRequest, pk: int) -> HttpResponse:
    defect = selectors.defect_detail(user=request.user, pk=pk)
    on = request.POST.get("follow") == "1"
    services.follow_set(defect=defect, user=_user(request), follow=on)
    messages.success(request, _("Du følger nå saken.") if on else _("Du følger ikke lenger saken."))
    return redirect(defect)


@login_required
@require_GET
def my_defects(request: HttpRequest) -> HttpResponse:
    window = _window(request, selectors.my_defects(user=_user(request)))
    return render(
        request,
        "issues/reporting/list.html",
        {
            "window": window,
            "heading": _("Mine saker"),
            "empty": _("Du har ikke meldt noen saker."),
            "query": "",
        },
    )


@login_required
@require_GET
def followed_defects(request: HttpRequest) -> HttpResponse:
    window = _window(request, selectors.followed_defects(user=_user(request)))
    return render(
        request,
        "issues/reporting/list.html",
        {
            "window": window,
            "heading": _("Saker jeg følger"),
            "empty": _("Du følger ingen saker."),
            "query": "",
        },
    )
