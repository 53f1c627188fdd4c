from django.urls import path

from issues.views import exports

urlpatterns = [
    path("eskalering/", exports.index, name="escalation"),
    path("eskalering/eksport/<str:fmt>/", exports.export, name="export"),
    path("eskalering/eksportjobb/<int:pk>/", exports.export_job, name="export_job"),
    path("eskalering/eksportjobb/<int:pk>/fil/", exports.export_job_file, name="export_job_file"),
]
