"""Merging a duplicate into another defect, found through a search box."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from issues.forms.triage import MergeForm
from issues.selectors.defects import defect_detail
from issues.selectors.triage import merge_candidates
from issues.services.merge import defect_merge
from issues.views.common import require_triager
from issues.views.errors import Failure, domain_errors


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
    failure = Failure()
    if request.method == "POST" and canonical is not None:
        form = MergeForm(request.POST)
        denied = _("Du har ikke tilgang til å gjøre dette.")
        with domain_errors(request, flash=False, denied=denied) as failure:
            if form.is_valid():
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
        if failure.conflict is not None:
            data = request.POST.copy()
            data["duplicate_version"] = str(duplicate.version)
            data["canonical_version"] = str(canonical.version)
            form = MergeForm(data)
    return render(
        request,
        "issues/triage/merge.html",
        {
            "duplicate": duplicate,
            "canonical": canonical,
            "candidates": candidates,
            "q": text,
            "form": form,
            "error": failure.message or None,
        },
        status=failure.status or 200,
    )
