from django.urls import path

from issues.views import dashboard, meeting

urlpatterns = [
    path("triage/mote/", meeting.meeting, name="triage_meeting"),
    path("oversikt/", dashboard.dashboard, name="dashboard"),
]
