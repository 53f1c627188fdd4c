"""Merging a duplicate into another defect, found through a search box."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from issues.errors import ConcurrentEdit
from issues.forms.triage import MergeForm
from issues.selectors.defects import defect_detail
from issues.selectors.triage import merge_candidates
from issues.services.merge import defect_merge
from issues.views.common import require_triager


@login_required
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    user = require_triager(request)
    duplicate = defect_detail(user=user, pk=pk)
    text = request.GET.get("q", "")
    candidates = merge_candidates(user=user, text=text, exclude=duplicate)
    canonical = None
    form = None
    chosen = request.POST.get("canonical") or request.GET.get("canonical")
    if chosen:
        canonical = defect_detail(user=user, pk=chosen)
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
                defect_merge(
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
