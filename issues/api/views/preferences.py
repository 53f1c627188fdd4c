"""API for the caller's own notification choices."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from issues.api.serializers.common import StrictSerializerMixin
from issues.api.views.common import actor
from issues.models import Frequency, NotificationKind, User
from issues.services.preferences import frequencies_for, preferences_set


class PreferenceSerializer(StrictSerializerMixin, serializers.Serializer[Any]):
    notification = serializers.ChoiceField(choices=NotificationKind.choices)
    frequency = serializers.ChoiceField(choices=Frequency.choices)


def _listed(user: User) -> list[dict[str, str]]:
    return [{"notification": k, "frequency": f} for k, f in frequencies_for(user).items()]


@extend_schema(tags=["notifications"])
class NotificationPreferencesView(APIView):
    """Per kind (my defects, followed, confirmations, routines): immediate, daily, weekly or off."""

    @extend_schema(responses={200: PreferenceSerializer(many=True)})
    def get(self, request: Request) -> Response:
        return Response(_listed(actor(request)))

    @extend_schema(request=PreferenceSerializer, responses={200: PreferenceSerializer(many=True)})
    def patch(self, request: Request) -> Response:
        serializer = PreferenceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = actor(request)
        preferences_set(user=user, choices={data["notification"]: data["frequency"]})
        return Response(_listed(user))
