"""The triage page for one defect: edit, transition, tier override, with conflicts shown."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from issues import permissions
from issues.errors import ConcurrentEdit
from issues.filter_display import cached_choices
from issues.forms.triage import DefectTriageForm, OverrideForm, TransitionForm
from issues.models import Defect, User
from issues.selectors.defects import defect_detail, defect_timeline
from issues.selectors.triage import defect_duplicates
from issues.services.defects import defect_override_tier, defect_transition, defect_update
from issues.views.common import require_triager
from issues.views.errors import domain_errors

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _defect_context(user: User, defect: Defect, **forms: Any) -> dict[str, Any]:
    allowed = permissions.allowed_transitions(user, defect)
    form = forms.get("form") or DefectTriageForm(instance=defect)
    # The edit form's seven choice lists are reference data: from the page cache (0017).
    cached_choices(form)
    return {
        "defect": defect,
        "form": form,
        "transition_form": forms.get("transition_form")
        or TransitionForm(initial={"version": defect.version}, allowed=allowed),
        "override_form": forms.get("override_form")
        or OverrideForm(initial={"version": defect.version, "tier": defect.tier_override}),
        "conflict": forms.get("conflict"),
        "timeline": defect_timeline(defect=defect),
        "duplicates": defect_duplicates(user=user, defect=defect),
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


def _rebound(form_class: type, post: QueryDict, version: int, **kwargs: Any) -> Any:
    """The user's input again, carrying the current version so a re-submit applies it."""
    data = post.copy()
    data["version"] = str(version)
    return form_class(data, **kwargs)


@dataclass(frozen=True)
class _Action:
    """One of the page's three forms: how it is bound, saved and bound again after a conflict."""

    context_name: str
    bind: Callable[[QueryDict, User, Defect], Any]
    save: Callable[[Any, User, Defect], Defect]
    done: "StrOrPromise"
    rebind: Callable[[QueryDict, User, Defect, ConcurrentEdit], Any]


def _edit(form: DefectTriageForm, user: User, defect: Defect) -> Defect:
    version = form.cleaned_data["version"]
    return defect_update(defect=defect, actor=user, expected_version=version, data=form.changes())


def _transition(form: TransitionForm, user: User, defect: Defect) -> Defect:
    data = form.cleaned_data
    return defect_transition(
        defect=defect,
        actor=user,
        to_status=data["to_status"],
        expected_version=data["version"],
        note=data["note"],
    )


def _override(form: OverrideForm, user: User, defect: Defect) -> Defect:
    data = form.cleaned_data
    return defect_override_tier(
        defect=defect,
        actor=user,
        tier=data["tier"],
        reason=data["reason"],
        expected_version=data["version"],
    )


ACTIONS = {
    "edit": _Action(
        context_name="form",
        bind=lambda post, _user, defect: DefectTriageForm(post, instance=defect),
        save=_edit,
        done=gettext_lazy("Endringene er lagret."),
        rebind=lambda post, _user, fresh, exc: DefectTriageForm.after_conflict(
            post, fresh=fresh, exc=exc
        ),
    ),
    "transition": _Action(
        context_name="transition_form",
        bind=lambda post, user, defect: TransitionForm(
            post, allowed=permissions.allowed_transitions(user, defect)
        ),
        save=_transition,
        done=gettext_lazy("Statusen er endret."),
        rebind=lambda post, user, fresh, _exc: _rebound(
            TransitionForm,
            post,
            fresh.version,
            allowed=permissions.allowed_transitions(user, fresh),
        ),
    ),
    "override": _Action(
        context_name="override_form",
        bind=lambda post, _user, _defect: OverrideForm(post),
        save=_override,
        done=gettext_lazy("Nivået er overstyrt."),
        rebind=lambda post, _user, fresh, _exc: _rebound(OverrideForm, post, fresh.version),
    ),
}


def _self_url(request: HttpRequest, pk: int) -> str:
    """The defect page again, still knowing which view of the queue it was opened from."""
    url = reverse("issues:triage_defect", args=[pk])
    back = request.GET.get("back")
    return f"{url}?{urlencode({'back': back})}" if back else url


@login_required
def defect_triage(request: HttpRequest, pk: int) -> HttpResponse:
    user = require_triager(request)
    defect = defect_detail(user=user, pk=pk)
    template = "issues/triage/defect.html"
    action = ACTIONS.get(request.POST.get("action", "")) if request.method == "POST" else None
    if action is None:
        status = 400 if request.method == "POST" else 200
        return render(request, template, _defect_context(user, defect), status=status)
    form = action.bind(request.POST, user, defect)
    denied = _("Du har ikke tilgang til å gjøre dette.")
    with domain_errors(request, form=form, denied=denied) as failure:
        if form.is_valid():
            action.save(form, user, defect)
            messages.success(request, action.done)
            return redirect(_self_url(request, defect.pk))
    if failure.conflict is not None:
        fresh = defect_detail(user=user, pk=pk)
        forms = {
            "conflict": _conflict(fresh, failure.conflict),
            action.context_name: action.rebind(request.POST, user, fresh, failure.conflict),
        }
        return render(request, template, _defect_context(user, fresh, **forms), status=409)
    forms = {action.context_name: form}
    return render(request, template, _defect_context(user, defect, **forms), status=400)
