from django.urls import path

from issues.views import merge, triage

urlpatterns = [
    path("triage/feil/<int:pk>/", triage.defect_triage, name="triage_defect"),
    path("triage/feil/<int:pk>/slaa-sammen/", merge.merge, name="triage_merge"),
]
