from django.urls import path

from issues.views import exports

urlpatterns = [
    path("eskalering/", exports.index, name="escalation"),
    path("eskalering/eksport/<str:fmt>/", exports.export, name="export"),
    path("eskalering/eksportjobb/<int:pk>/", exports.export_job, name="export_job"),
    path("eskalering/eksportjobb/<int:pk>/side/", exports.export_job_page, name="export_job_page"),
    path(
        "eskalering/eksportjobb/<int:pk>/framdrift/",
        exports.export_job_progress,
        name="export_job_progress",
    ),
    path("eskalering/eksportjobb/<int:pk>/fil/", exports.export_job_file, name="export_job_file"),
]
