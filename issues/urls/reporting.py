from django.urls import path

from issues.views import reporting

urlpatterns = [
    path("", reporting.home, name="home"),
    path("meld/", reporting.report_new, name="report_new"),
    path("meld/kategorier/", reporting.report_categories, name="report_categories"),
    path("meld/forslag/", reporting.report_suggestions, name="report_suggestions"),
    path("meld/forhandsvisning/", reporting.report_preview, name="report_preview"),
    path("mine/", reporting.my_defects, name="my_defects"),
    path("folger/", reporting.followed_defects, name="followed_defects"),
    path("feil/<int:pk>/", reporting.defect_detail, name="defect_detail"),
    path("feil/<int:pk>/meldt/", reporting.report_done, name="report_done"),
    path("feil/<int:pk>/kommentar/", reporting.comment_add, name="comment_add"),
    path("feil/<int:pk>/vedlegg/", reporting.attachment_upload, name="attachment_upload"),
    path(
        "feil/<int:pk>/vedlegg/<int:attachment_pk>/",
        reporting.attachment_download,
        name="attachment_download",
    ),
    path("feil/<int:pk>/gjelder-oss/", reporting.affects_us, name="affects_us"),
    path("feil/<int:pk>/folg/", reporting.follow, name="follow"),
]
