from django.urls import path

from issues.views import defects

urlpatterns = [
    path("mine/", defects.my_defects, name="my_defects"),
    path("folger/", defects.followed_defects, name="followed_defects"),
    path("feil/<int:pk>/", defects.defect_detail, name="defect_detail"),
    path("feil/<int:pk>/kommentar/", defects.comment_add, name="comment_add"),
    path("feil/<int:pk>/gjelder-oss/", defects.affects_us, name="affects_us"),
    path("feil/<int:pk>/folg/", defects.follow, name="follow"),
]
