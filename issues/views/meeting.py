"""The agenda for the next meeting with DFØ."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from issues import permissions
from issues.errors import RoleRequired
from issues.filter_display import filter_context, open_count_text
from issues.filters import DefectFilter
from issues.selectors.meeting import meeting_agenda


@login_required
@require_GET
def meeting(request: HttpRequest) -> HttpResponse:
    if not permissions.sees_everything(request.user):
        raise RoleRequired(permissions.NEEDS_MANAGEMENT_OR_LIAISON)
    form = DefectFilter(data=request.GET).form
    try:
        agenda = meeting_agenda(user=request.user, filters=request.GET)
    except ValidationError:
        agenda = None
    context = filter_context(
        form=form,
        query=request.GET,
        action=reverse("issues:triage_meeting"),
        count=agenda.open_count if agenda else None,
    )
    context["agenda"] = agenda
    if agenda is not None:
        context["result_count_text"] = open_count_text(agenda.open_count)
    return render(request, "issues/triage/meeting.html", context)
