from django.urls import path

from issues.views import queue

urlpatterns = [
    path("triage/", queue.queue, name="triage_queue"),
    path("triage/masse/", queue.bulk, name="triage_bulk"),
    path("triage/filtre/", queue.saved_filter_save, name="triage_filter_save"),
    path("triage/filtre/<int:pk>/slett/", queue.saved_filter_delete, name="triage_filter_delete"),
    path("triage/brukere/", queue.owner_search, name="triage_owner_search"),
]
