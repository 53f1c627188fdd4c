"""The triage page for one defect: edit, transition, tier override, with conflicts shown."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from issues import permissions
from issues.errors import ConcurrentEdit
from issues.forms.triage import DefectTriageForm, OverrideForm, TransitionForm
from issues.models import Defect, User
from issues.selectors.defects import defect_detail, defect_timeline
from issues.services.defects import defect_override_tier, defect_transition, defect_update
from issues.views.common import require_triager


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
        "timeline": defect_timeline(defect=defect),
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
    user = require_triager(request)
    defect = defect_detail(user=user, pk=pk)
    if request.method != "POST":
        return render(request, "issues/triage/defect.html", _defect_context(user, defect))
    action = request.POST.get("action")
    forms: dict[str, Any] = {}
    try:
        if action == "edit":
            form = DefectTriageForm(request.POST, instance=defect)
            forms["form"] = form
            if form.is_valid():
                defect_update(
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
                defect_transition(
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
                defect_override_tier(
                    defect=defect,
                    actor=user,
                    tier=oform.cleaned_data["tier"],
                    reason=oform.cleaned_data["reason"],
                    expected_version=oform.cleaned_data["version"],
                )
                messages.success(request, _("Nivået er overstyrt."))
                return redirect("issues:triage_defect", pk=defect.pk)
    except ConcurrentEdit as exc:
        fresh = defect_detail(user=user, pk=pk)
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
