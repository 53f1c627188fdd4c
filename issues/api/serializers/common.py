"""Serializer pieces shared by every resource: strict input and the error and flag shapes."""

import copy
from collections.abc import Mapping
from typing import Any, ClassVar

from django.utils.translation import get_language
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


class BuiltFieldsCacheMixin:
    """A ModelSerializer's fields built from the model once per class and language, then copied.

    ModelSerializer introspects the model and builds every field anew for each serializer: for the
    defect list that was most of the time spent serializing a page of 25 rows. The result
    depends only on the class (its Meta and declared fields) and, through the labels, on the
    language; each serializer still gets its own copies, so binding and validation state are
    never shared.
    """

    _built_fields: ClassVar[dict[tuple[type, str | None], dict[str, Any]]] = {}

    def get_fields(self) -> dict[str, Any]:
        key = (type(self), get_language())
        built = self._built_fields.get(key)
        if built is None:
            built = super().get_fields()  # type: ignore[misc]
            self._built_fields[key] = built
        return copy.deepcopy(built)


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
