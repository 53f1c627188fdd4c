"""/api/v1/ routes. The permission-matrix test walks these and fails on a route without a rule."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from issues.api.views.children import (
    DefectAttachmentDownload,
    DefectAttachmentList,
    DefectCommentList,
)
from issues.api.views.confirmations import FixConfirmationViewSet
from issues.api.views.defects import DefectViewSet
from issues.api.views.preferences import NotificationPreferencesView
from issues.api.views.reference import (
    AreaViewSet,
    CategoryViewSet,
    InstitutionViewSet,
    OrgUnitViewSet,
    SystemViewSet,
)
from issues.api.views.releases import MeetingViewSet, ReleaseViewSet
from issues.api.views.routines import RoutineViewSet

app_name = "api"

router = SimpleRouter()
router.register("defects", DefectViewSet, basename="defect")
router.register("institutions", InstitutionViewSet, basename="institution")
router.register("units", OrgUnitViewSet, basename="unit")
router.register("areas", AreaViewSet, basename="area")
router.register("categories", CategoryViewSet, basename="category")
router.register("systems", SystemViewSet, basename="system")
router.register("releases", ReleaseViewSet, basename="release")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("confirmations", FixConfirmationViewSet, basename="confirmation")
router.register("routines", RoutineViewSet, basename="routine")

urlpatterns = [
    *router.urls,
    path(
        "notification-preferences/",
        NotificationPreferencesView.as_view(),
        name="notification-preferences",
    ),
    path(
        "defects/<int:defect_pk>/comments/",
        DefectCommentList.as_view(),
        name="defect-comments",
    ),
    path(
        "defects/<int:defect_pk>/attachments/",
        DefectAttachmentList.as_view(),
        name="defect-attachments",
    ),
    path(
        "defects/<int:defect_pk>/attachments/<int:pk>/download/",
        DefectAttachmentDownload.as_view(),
        name="defect-attachment-download",
    ),
]
