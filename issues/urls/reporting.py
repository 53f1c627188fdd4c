from django.urls import path

from issues.views import reporting

urlpatterns = [
    path("", reporting.home, name="home"),
    path("meld/", reporting.report_new, name="report_new"),
    path("meld/kategorier/", reporting.report_categories, name="report_categories"),
    path("meld/forslag/", reporting.report_suggestions, name="report_suggestions"),
    path("meld/forhandsvisning/", reporting.report_preview, name="report_preview"),
    path("feil/<int:pk>/meldt/", reporting.report_done, name="report_done"),
]
