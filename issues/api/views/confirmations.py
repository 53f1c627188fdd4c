"""API for fix confirmations: list what the user may see, confirm or dispute for one's university."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions as drf_permissions
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from issues import permissions
from issues.api.pagination import CreatedCursorPagination
from issues.api.serializers.confirmations import DisputeSerializer, FixConfirmationSerializer
from issues.api.views.common import actor
from issues.models import ConfirmationState, FixConfirmation
from issues.services.confirmations import confirmation_confirm, confirmation_dispute


@extend_schema(tags=["confirmations"])
class FixConfirmationViewSet(viewsets.ReadOnlyModelViewSet[FixConfirmation]):
    """Every university's answer to a fix. Reporters see their own university's; management and
    the DFØ liaison every one. ``?state=waiting`` lists what still needs an answer."""

    serializer_class = FixConfirmationSerializer
    pagination_class = CreatedCursorPagination
    permission_classes = [drf_permissions.IsAuthenticated]

    def get_queryset(self) -> QuerySet[FixConfirmation]:
        qs = permissions.visible_confirmations(self.request.user).select_related("institution")
        state = self.request.query_params.get("state")
        if state is not None:
            if state not in ConfirmationState.values:
                choices = ", ".join(ConfirmationState.values)
                raise ValidationError({"state": [_("Må være en av: %s.") % choices]})
            qs = qs.filter(state=state)
        return qs

    @extend_schema(request=None, responses={200: FixConfirmationSerializer})
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str) -> Response:
        row = confirmation_confirm(confirmation=self.get_object(), actor=actor(request))
        return Response(FixConfirmationSerializer(row).data)

    @extend_schema(request=DisputeSerializer, responses={200: FixConfirmationSerializer})
    @action(detail=True, methods=["post"])
    def dispute(self, request: Request, pk: str) -> Response:
        serializer = DisputeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data: dict[str, Any] = dict(serializer.validated_data)
        row = confirmation_dispute(
            confirmation=self.get_object(), actor=actor(request), note=data["note"]
        )
        return Response(FixConfirmationSerializer(row).data)
