"""API for the caller's own notification choices."""

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from issues.api.views.common import actor
from issues.models import Frequency, NotificationKind
from issues.services.preferences import frequencies_for, preferences_set

PREFERENCES = inline_serializer(
    "NotificationPreferences",
    {kind: serializers.ChoiceField(choices=Frequency.values) for kind in NotificationKind.values},
)
PREFERENCES_PATCH = inline_serializer(
    "NotificationPreferencesPatch",
    {
        kind: serializers.ChoiceField(choices=Frequency.values, required=False)
        for kind in NotificationKind.values
    },
)


@extend_schema(tags=["notifications"])
class NotificationPreferencesView(APIView):
    """Per kind (my defects, followed, confirmations, routines): immediate, daily, weekly or off."""

    @extend_schema(responses={200: PREFERENCES})
    def get(self, request: Request) -> Response:
        return Response(frequencies_for(actor(request)))

    @extend_schema(request=PREFERENCES_PATCH, responses={200: PREFERENCES})
    def patch(self, request: Request) -> Response:
        data: Any = request.data
        if not isinstance(data, dict):
            raise serializers.ValidationError({"detail": [_("Forventet et JSON-objekt.")]})
        return Response(preferences_set(user=actor(request), choices=data))
