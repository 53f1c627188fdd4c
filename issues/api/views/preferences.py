"""API for the caller's own notification choices."""

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from issues.api.serializers.common import StrictSerializerMixin
from issues.api.views.common import actor
from issues.models import Frequency, NotificationKind, User
from issues.services.preferences import (
    DIGEST_FREQUENCIES,
    DIGEST_TARGET,
    choices_for,
    preferences_set,
)


class PreferenceSerializer(StrictSerializerMixin, serializers.Serializer[Any]):
    notification = serializers.ChoiceField(choices=[*NotificationKind.values, DIGEST_TARGET])
    frequency = serializers.ChoiceField(choices=Frequency.choices)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        if attrs["notification"] == DIGEST_TARGET and attrs["frequency"] not in DIGEST_FREQUENCIES:
            raise serializers.ValidationError(
                {"frequency": [_("Sammendraget er ukentlig eller av.")]}
            )
        return attrs


def _listed(user: User) -> list[dict[str, str]]:
    return [{"notification": k, "frequency": f} for k, f in choices_for(user).items()]


@extend_schema(tags=["notifications"])
class NotificationPreferencesView(APIView):
    """Per kind (my defects, followed, confirmations, routines): immediate, daily, weekly or off;
    the digest (management and the DFØ liaison only): weekly or off."""

    @extend_schema(responses={200: PreferenceSerializer(many=True)})
    def get(self, request: Request) -> Response:
        return Response(_listed(actor(request)))

    @extend_schema(request=PreferenceSerializer, responses={200: PreferenceSerializer(many=True)})
    def patch(self, request: Request) -> Response:
        serializer = PreferenceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        kind, frequency = (serializer.validated_data[f] for f in ("notification", "frequency"))
        user = actor(request)
        if kind == DIGEST_TARGET:
            preferences_set(user=user, choices={}, digest=frequency != Frequency.OFF)
        else:
            preferences_set(user=user, choices={kind: frequency})
        return Response(_listed(user))
