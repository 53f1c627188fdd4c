"""The defect page for everyone who may see it, comments, "affects us too", follow, and the
lists of my and followed defects."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from issues import permissions
from issues.forms.confirmations import ConfirmationForm
from issues.forms.reporting import AttachmentForm, CommentForm
from issues.models import Defect
from issues.selectors import defects as defects_selectors
from issues.selectors.attachments import defect_attachments
from issues.selectors.confirmations import answerable, latest_round
from issues.selectors.defects import defect_comments, defect_timeline
from issues.selectors.reporting import affected_institutions, user_affects, user_follows
from issues.selectors.routines import routines_for_defects
from issues.services.comments import comment_create
from issues.services.participation import affects_us_add, affects_us_remove, follow_set
from issues.views.common import current_user, is_htmx, page_window
from issues.views.errors import domain_errors
from priorities.rules import FACTS, tier_label


def detail_context(request: HttpRequest, defect: Defect, **extra: Any) -> dict[str, Any]:
    user = request.user
    rounds = latest_round(user=user, defect=defect)
    return {
        "confirmations": rounds,
        "routines": routines_for_defects(user=user, defect_ids=[defect.pk]).get(defect.pk, []),
        "my_confirmation": answerable(user=user, rows=rounds),
        "confirmation_form": extra.pop("confirmation_form", None) or ConfirmationForm(),
        "defect": defect,
        "comments": defect_comments(user=user, defect=defect),
        "timeline": defect_timeline(defect=defect),
        "attachments": defect_attachments(user=user, defect=defect),
        "institutions": affected_institutions(defect=defect),
        "user_affects": user_affects(user=user, defect=defect),
        "user_follows": user_follows(user=user, defect=defect),
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
    defect = defects_selectors.defect_detail(user=request.user, pk=pk)
    return render(request, "issues/reporting/detail.html", detail_context(request, defect))


@login_required
@require_POST
def comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    defect = defects_selectors.defect_detail(user=request.user, pk=pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        with domain_errors(request, form=form):
            comment_create(
                defect=defect, author=current_user(request), body=form.cleaned_data["body"]
            )
            messages.success(request, _("Kommentaren er lagt til."))
            return redirect(f"{defect.get_absolute_url()}#kommentarer")
    context = detail_context(request, defect, comment_form=form)
    return render(request, "issues/reporting/detail.html", context, status=400)


@login_required
@require_POST
def affects_us(request: HttpRequest, pk: int) -> HttpResponse:
    defect = defects_selectors.defect_detail(user=request.user, pk=pk)
    user = current_user(request)
    remove = request.POST.get("action") == "remove"
    htmx = is_htmx(request)
    if defect.reporter_id == user.pk:
        refusal = _("Dette er din egen melding; den gjelder allerede din institusjon.")
    else:
        refusal = _("Du må være knyttet til en institusjon for å si «gjelder oss også».")
    with domain_errors(request, flash=not htmx, denied=refusal) as failure:
        if remove:
            affects_us_remove(defect=defect, user=user)
        else:
            affects_us_add(defect=defect, user=user)
    if htmx:
        context = {"defect": defect, "refusal": failure.message}
        return render(request, "issues/reporting/_affects_done.html", context)
    if failure:
        return redirect(defect)
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
    defect = defects_selectors.defect_detail(user=request.user, pk=pk)
    on = request.POST.get("follow") == "1"
    follow_set(defect=defect, user=current_user(request), follow=on)
    messages.success(request, _("Du følger nå saken.") if on else _("Du følger ikke lenger saken."))
    return redirect(defect)


@login_required
@require_GET
def my_defects(request: HttpRequest) -> HttpResponse:
    window = page_window(request, defects_selectors.my_defects(user=current_user(request)))
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
    window = page_window(request, defects_selectors.followed_defects(user=current_user(request)))
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
