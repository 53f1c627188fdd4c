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
from issues.api.schema import ETAG_HEADER, if_match
from issues.api.serializers.routines import RoutineLinkSerializer, RoutineSerializer
from issues.api.views.common import actor, expected_version, with_etag
from issues.models import Routine
from issues.selectors.routines import routine_defects
from issues.services.routines import (
    routine_create,
    routine_link_set,
    routine_review,
    routine_update,
)


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

    @extend_schema(parameters=[ETAG_HEADER])
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        routine = self.get_object()
        return with_etag(Response(self.get_serializer(routine).data), routine)

    @extend_schema(parameters=[ETAG_HEADER])
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        assert serializer.instance is not None
        return with_etag(Response(serializer.data, status=201), serializer.instance)

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

    @extend_schema(
        responses={200: RoutineSerializer}, parameters=[if_match(required=True), ETAG_HEADER]
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """A new version, as from the edit page; it counts as a review, so the flag clears."""
        routine = self.get_object()
        serializer = self.get_serializer(routine, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        version = expected_version(request, routine, required=True)
        user = actor(request)
        updated = routine_update(
            routine=routine,
            actor=user,
            title=data.get("title", routine.title),
            body=data.get("body", routine.body),
            owner=data.get("owner", routine.owner),
            institution=data.get("institution", routine.institution),
            defects=routine_defects(user=user, routine=routine),
            expected_version=version,
        )
        return self._answer(updated)

    @extend_schema(
        request=None,
        responses={200: RoutineSerializer},
        parameters=[if_match(required=False), ETAG_HEADER],
    )
    @action(detail=True, methods=["post"], permission_classes=[drf_permissions.IsAuthenticated])
    def review(self, request: Request, pk: str) -> Response:
        """Confirm the routine still right after a fix (the owner or the management team)."""
        routine = self.get_object()
        version = expected_version(request, routine, required=False)
        return self._answer(
            routine_review(routine=routine, actor=actor(request), expected_version=version)
        )

    @extend_schema(
        request=RoutineLinkSerializer,
        responses={200: RoutineSerializer},
        parameters=[if_match(required=False), ETAG_HEADER],
        description="Knytt en sak til rutinen. Rutinen beholder eventuelt «må gjennomgås».",
    )
    @action(detail=True, methods=["post"])
    def link(self, request: Request, pk: str) -> Response:
        return self._link(request, linked=True)

    @extend_schema(
        request=RoutineLinkSerializer,
        responses={200: RoutineSerializer},
        parameters=[if_match(required=False), ETAG_HEADER],
        description="Fjern koblingen mellom en sak og rutinen.",
    )
    @action(detail=True, methods=["post"])
    def unlink(self, request: Request, pk: str) -> Response:
        return self._link(request, linked=False)

    def _link(self, request: Request, *, linked: bool) -> Response:
        routine = self.get_object()
        serializer = RoutineLinkSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        version = expected_version(request, routine, required=False)
        updated = routine_link_set(
            routine=routine,
            actor=actor(request),
            defect=serializer.validated_data["defect"],
            linked=linked,
            expected_version=version,
        )
        return self._answer(updated)

    def _answer(self, routine: Routine) -> Response:
        # The serializer lists the links; read them again after the write.
        fresh = self.get_queryset().get(pk=routine.pk)
        return with_etag(Response(self.get_serializer(fresh).data), fresh)
