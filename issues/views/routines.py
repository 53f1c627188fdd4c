"""Routine pages: the list (flagged first), a routine with its versions, write, edit, review."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from issues import permissions
from issues.forms.routines import RoutineForm
from issues.selectors.routines import (
    routine_defects,
    routine_detail,
    routine_list,
    routine_versions,
)
from issues.services.routines import routine_create, routine_review, routine_update
from issues.views.common import current_user
from issues.views.errors import domain_errors

LIST_LIMIT = 500


@login_required
@require_GET
def routine_index(request: HttpRequest) -> HttpResponse:
    flagged_only = request.GET.get("gjennomgas") == "1"
    routines = routine_list(user=request.user, needs_review=True if flagged_only else None)
    context = {
        "routines": list(routines[:LIST_LIMIT]),
        "flagged_only": flagged_only,
        "can_create": permissions.can_manage_routines(request.user),
    }
    return render(request, "issues/routines/list.html", context)


@login_required
@require_GET
def routine_page(request: HttpRequest, pk: int) -> HttpResponse:
    routine = routine_detail(user=request.user, pk=pk)
    context = {
        "routine": routine,
        "defects": routine_defects(user=request.user, routine=routine),
        "versions": routine_versions(routine=routine)[:50],
        "can_edit": permissions.can_edit_routine(request.user, routine),
    }
    return render(request, "issues/routines/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def routine_new(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if not permissions.can_manage_routines(user):
        raise PermissionDenied
    form = RoutineForm(request.POST or None, user=user, initial={"owner": user.pk})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with domain_errors(request, form=form):
            routine = routine_create(
                actor=user,
                title=data["title"],
                body=data["body"],
                owner=data["owner"],
                institution=data["institution"],
                defects=data["defect_keys"],
            )
            messages.success(request, _("Rutinen er lagret."))
            return redirect(reverse("issues:routine_detail", args=[routine.pk]))
    status = 400 if request.method == "POST" else 200
    return render(request, "issues/routines/form.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def routine_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    routine = routine_detail(user=user, pk=pk)
    if not permissions.can_edit_routine(user, routine):
        raise PermissionDenied
    initial = RoutineForm.initial_for(routine, user)
    form = RoutineForm(request.POST or None, user=user, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            with domain_errors(request, form=form) as failure:
                routine_update(
                    routine=routine,
                    actor=user,
                    title=data["title"],
                    body=data["body"],
                    owner=data["owner"],
                    institution=data["institution"],
                    defects=data["defect_keys"],
                    expected_version=data.get("version"),
                )
                messages.success(request, _("Ny versjon av rutinen er lagret."))
                return redirect(reverse("issues:routine_detail", args=[routine.pk]))
            status = failure.status or 400
    context = {"form": form, "routine": routine}
    return render(request, "issues/routines/form.html", context, status=status)


@login_required
@require_POST
def routine_reviewed(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    routine = routine_detail(user=user, pk=pk)
    with domain_errors(request) as failure:
        routine_review(routine=routine, actor=user, expected_version=None)
    if not failure:
        messages.success(request, _("Rutinen er bekreftet uendret."))
    return redirect(reverse("issues:routine_detail", args=[routine.pk]))
