"""API for routines: read what the user may see; the management team writes and reviews."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework import permissions as drf_permissions
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from issues import permissions
from issues.api.pagination import CreatedCursorPagination
from issues.api.permissions import IsManagementForWrites
from issues.api.serializers.routines import RoutineSerializer
from issues.api.views.common import actor
from issues.models import Routine
from issues.services.routines import routine_create, routine_review


@extend_schema(tags=["routines"])
class RoutineViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet[Routine]):
    serializer_class = RoutineSerializer
    pagination_class = CreatedCursorPagination
    permission_classes = [drf_permissions.IsAuthenticated, IsManagementForWrites]

    def get_queryset(self) -> QuerySet[Routine]:
        return permissions.visible_routines(self.request.user).prefetch_related("defects")

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if not permissions.sees_everything(self.request.user):
            visible = permissions.visible_defects(self.request.user).filter(
                routines__in=self.get_queryset()
            )
            context["visible_defect_ids"] = set(visible.values_list("pk", flat=True))
        return context

    def perform_create(self, serializer: BaseSerializer[Routine]) -> None:
        data = serializer.validated_data
        user = actor(self.request)
        serializer.instance = routine_create(
            actor=user,
            title=data["title"],
            body=data["body"],
            owner=data.get("owner") or user,
            institution=data.get("institution"),
        )

    @extend_schema(request=None, responses={200: RoutineSerializer})
    @action(detail=True, methods=["post"], permission_classes=[drf_permissions.IsAuthenticated])
    def review(self, request: Request, pk: str) -> Response:
        """Confirm the routine still right after a fix (the owner or the management team)."""
        routine = routine_review(
            routine=self.get_object(), actor=actor(request), expected_version=None
        )
        return Response(self.get_serializer(routine).data)
