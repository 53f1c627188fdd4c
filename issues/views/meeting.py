"""The agenda for the next meeting with DFØ."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET

from issues import page_cache, permissions
from issues.filter_display import filter_context, open_count_text
from issues.filters import DefectFilter
from issues.selectors.meeting import meeting_agenda
from issues.views.common import require_role


@login_required
@require_GET
def meeting(request: HttpRequest) -> HttpResponse:
    require_role(request, permissions.sees_everything, permissions.NEEDS_MANAGEMENT_OR_LIAISON)
    body = page_cache.cached_for_query("meeting", request, lambda: _body(request))
    return render(request, "issues/triage/meeting.html", {"body_html": body})


def _body(request: HttpRequest) -> str:
    """The agenda, rendered: what ``page_cache`` keeps."""
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
    return render_to_string("issues/triage/_meeting_body.html", context, request)
