"""The agenda for the next meeting with DFØ."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from issues import permissions
from issues.errors import RoleRequired
from issues.selectors.meeting import meeting_agenda


@login_required
@require_GET
def meeting(request: HttpRequest) -> HttpResponse:
    agenda = meeting_agenda(user=request.user)
    if agenda is None:
        raise RoleRequired(permissions.NEEDS_MANAGEMENT_OR_LIAISON)
    return render(request, "issues/triage/meeting.html", {"agenda": agenda})
