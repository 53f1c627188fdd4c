"""/api/v1/ routes. The permission-matrix test walks these and fails on a route without a rule."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

app_name = "api"

router = SimpleRouter()
router.register("defects", views.DefectViewSet, basename="defect")
router.register("institutions", views.InstitutionViewSet, basename="institution")
router.register("units", views.OrgUnitViewSet, basename="unit")
router.register("areas", views.AreaViewSet, basename="area")
router.register("categories", views.CategoryViewSet, basename="category")
router.register("systems", views.SystemViewSet, basename="system")
router.register("releases", views.ReleaseViewSet, basename="release")
router.register("meetings", views.MeetingViewSet, basename="meeting")

urlpatterns = [
    *router.urls,
    path(
        "defects/<int:defect_pk>/comments/",
        views.DefectCommentList.as_view(),
        name="defect-comments",
    ),
    path(
        "defects/<int:defect_pk>/attachments/",
        views.DefectAttachmentList.as_view(),
        name="defect-attachments",
    ),
    path(
        "defects/<int:defect_pk>/attachments/<int:pk>/download/",
        views.DefectAttachmentDownload.as_view(),
        name="defect-attachment-download",
    ),
]
