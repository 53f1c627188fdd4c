from django.urls import path

from issues.views import digests

urlpatterns = [
    path("eskalering/sammendrag/", digests.digest_preview, name="digest_preview"),
    path("eskalering/sammendrag/arkiv/", digests.digest_archive, name="digest_archive"),
    path("eskalering/sammendrag/<int:pk>/", digests.digest_detail, name="digest_detail"),
    path(
        "eskalering/sammendrag/<int:pk>/vedlegg/",
        digests.digest_attachment,
        name="digest_attachment",
    ),
]
