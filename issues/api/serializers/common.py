"""Serializer pieces shared by every resource: strict input and the error and flag shapes."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers


class StrictSerializerMixin:
    """Refuse fields the serializer does not declare as writable."""

    initial_data: Any
    fields: Any

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        data = getattr(self, "initial_data", None)
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(set(data.keys()) - writable)
            if unknown:
                raise serializers.ValidationError(
                    {name: [_("Ukjent eller skrivebeskyttet felt.")] for name in unknown}
                )
        return attrs


class FlagSerializer(serializers.Serializer[Any]):
    """The state of "affects us too" / "follow" for the current user after the change."""

    active = serializers.BooleanField()


class ErrorSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField()
    code = serializers.CharField()
    # Only describes the JSON; the field name shadows Serializer.errors for type checkers alone.
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()), required=False
    )
