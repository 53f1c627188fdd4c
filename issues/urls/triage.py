from django.urls import path

from issues.views import triage

urlpatterns = [
    path("triage/", triage.queue, name="triage_queue"),
    path("triage/masse/", triage.bulk, name="triage_bulk"),
    path("triage/filtre/", triage.saved_filter_save, name="triage_filter_save"),
    path("triage/filtre/<int:pk>/slett/", triage.saved_filter_delete, name="triage_filter_delete"),
    path("triage/brukere/", triage.owner_search, name="triage_owner_search"),
    path("triage/feil/<int:pk>/", triage.defect_triage, name="triage_defect"),
    path("triage/feil/<int:pk>/slaa-sammen/", triage.merge, name="triage_merge"),
    path("triage/mote/", triage.meeting, name="triage_meeting"),
    path("oversikt/", triage.dashboard, name="dashboard"),
]
