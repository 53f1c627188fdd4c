from typing import Any

from rest_framework import serializers

from issues.api.serializers.common import StrictSerializerMixin
from issues.models import FixConfirmation
from issues.services.confirmations import NOTE_MAX_LENGTH


class FixConfirmationSerializer(serializers.ModelSerializer[FixConfirmation]):
    institution: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = FixConfirmation
        fields = [
            "id",
            "defect",
            "institution",
            "state",
            "respond_by",
            "answered_by",
            "answered_at",
            "note",
            "created_at",
        ]
        read_only_fields = fields


class DisputeSerializer(StrictSerializerMixin, serializers.Serializer[Any]):
    note = serializers.CharField(max_length=NOTE_MAX_LENGTH)
