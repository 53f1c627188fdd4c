"""API views for DFØ releases and meetings."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework import permissions as drf_permissions
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from issues.api.pagination import MeetingCursorPagination
from issues.api.permissions import IsManagementForWrites, SeesEverything
from issues.api.serializers.reference import (
    MeetingSerializer,
    ReleaseSerializer,
    ReleaseSummarySerializer,
)
from issues.models import (
    Meeting,
    Release,
)
from issues.selectors.releases import release_rows
from issues.services.releases import release_create


@extend_schema(tags=["releases"])
class ReleaseViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet[Release]):
    queryset = Release.objects.all()
    serializer_class = ReleaseSerializer
    pagination_class = None
    permission_classes = [drf_permissions.IsAuthenticated, IsManagementForWrites]

    @extend_schema(responses={200: ReleaseSummarySerializer})
    @action(detail=True, methods=["get"])
    def summary(self, request: Request, pk: str) -> Response:
        """Promised, delivered and unfixed defects (those the caller may see), overdue, and per
        university how many fixes are confirmed, disputed, waiting or went unanswered."""
        row = release_rows(
            user=request.user, releases=Release.objects.filter(pk=self.get_object().pk)
        )[0]
        return Response(ReleaseSummarySerializer(row).data)

    def perform_create(self, serializer: BaseSerializer[Release]) -> None:
        serializer.instance = release_create(
            name=serializer.validated_data["name"],
            expected_date=serializer.validated_data.get("expected_date"),
            notes=serializer.validated_data.get("notes", ""),
        )


@extend_schema(tags=["meetings"])
class MeetingViewSet(viewsets.ReadOnlyModelViewSet[Meeting]):
    """Operations and escalation meetings with DFØ: for the management team and the liaison."""

    queryset = Meeting.objects.all()
    serializer_class = MeetingSerializer
    permission_classes = [drf_permissions.IsAuthenticated, SeesEverything]
    pagination_class = MeetingCursorPagination
