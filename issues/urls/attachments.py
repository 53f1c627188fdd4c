from django.urls import path

from issues.views import attachments

urlpatterns = [
    path("feil/<int:pk>/vedlegg/", attachments.attachment_upload, name="attachment_upload"),
    path(
        "feil/<int:pk>/vedlegg/<int:attachment_pk>/",
        attachments.attachment_download,
        name="attachment_download",
    ),
]
