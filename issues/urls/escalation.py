from django.urls import path

from issues.views import escalation

urlpatterns = [
    path("eskalering/", escalation.index, name="escalation"),
    path("eskalering/eksport/<str:fmt>/", escalation.export, name="export"),
    path("eskalering/sammendrag/", escalation.digest_preview, name="digest_preview"),
    path("eskalering/sammendrag/arkiv/", escalation.digest_archive, name="digest_archive"),
    path("eskalering/sammendrag/<int:pk>/", escalation.digest_detail, name="digest_detail"),
    path(
        "eskalering/sammendrag/<int:pk>/vedlegg/",
        escalation.digest_attachment,
        name="digest_attachment",
    ),
]
