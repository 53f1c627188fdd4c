"""Serializers: output shapes, and input validation before a service is called.

Input serializers never save; the views hand ``validated_data`` to a service. Unknown fields are
refused (400) so a typo or a forbidden field is never silently ignored.
"""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from issues import services
from issues.models import (
    Area,
    Attachment,
    Category,
    Comment,
    Defect,
    DefectKind,
    DefectStatus,
    Institution,
    Meeting,
    OrgUnit,
    Release,
    System,
    User,
)
from issues.models.defects import TIER_CHOICES
from priorities.rules import FACT_NAMES


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


# --- reference data -------------------------------------------------------------------------


class InstitutionSerializer(serializers.ModelSerializer[Institution]):
    class Meta:
        model = Institution
        fields = ["id", "code", "name", "active"]


class OrgUnitSerializer(serializers.ModelSerializer[OrgUnit]):
    class Meta:
        model = OrgUnit
        fields = ["id", "institution", "parent", "code", "name", "active"]


class AreaSerializer(serializers.ModelSerializer[Area]):
    class Meta:
        model = Area
        fields = ["id", "code", "name_nb", "name_en", "description", "active", "order"]


class CategorySerializer(serializers.ModelSerializer[Category]):
    class Meta:
        model = Category
        fields = ["id", "area", "code", "name_nb", "name_en", "active", "order"]


class SystemSerializer(serializers.ModelSerializer[System]):
    class Meta:
        model = System
        fields = ["id", "code", "name_nb", "name_en", "active", "order"]


class ReleaseSerializer(StrictSerializerMixin, serializers.ModelSerializer[Release]):
    class Meta:
        model = Release
        fields = ["id", "name", "expected_date", "delivered_date", "notes"]
        read_only_fields = ["id", "delivered_date"]


class MeetingSerializer(serializers.ModelSerializer[Meeting]):
    class Meta:
        model = Meeting
        fields = ["id", "kind", "starts_at", "title", "notes"]


# --- defects --------------------------------------------------------------------------------

LIST_FIELDS = [
    "id",
    "key",
    "title",
    "kind",
    "status",
    "tier",
    "rule_tier",
    "tier_override",
    "area",
    "category",
    "system",
    "institution",
    "target_release",
    "weekly_cost",
    "institutions_affected",
    "affects_count",
    "deadline",
    "confidential",
    "has_workaround",
    "version",
    "created_at",
    "updated_at",
]


class DefectListSerializer(serializers.ModelSerializer[Defect]):
    key = serializers.CharField(read_only=True)
    has_workaround = serializers.SerializerMethodField()

    class Meta:
        model = Defect
        fields = LIST_FIELDS
        read_only_fields = LIST_FIELDS

    def get_has_workaround(self, obj: Defect) -> bool:
        return bool(obj.workaround)


class DefectSerializer(DefectListSerializer):
    class Meta:
        model = Defect
        fields = [
            *LIST_FIELDS,
            "description",
            "unit",
            "reporter",
            "owner",
            *FACT_NAMES,
            "extra_hours_per_week",
            "people_affected",
            "workaround",
            "workaround_hours_per_week",
            "rule_reasons",
            "override_reason",
            "override_at",
            "dfo_reference",
            "duplicate_of",
            "triaged_at",
            "reported_to_dfo_at",
            "fixed_at",
            "closed_at",
        ]
        read_only_fields = fields


_DEFECT_INPUT_KWARGS: dict[str, dict[str, Any]] = {
    "extra_hours_per_week": {"coerce_to_string": False, "min_value": 0, "max_value": 168},
    "workaround_hours_per_week": {
        "coerce_to_string": False,
        "min_value": 0,
        "max_value": 9_999_999,
        "allow_null": True,
    },
    "people_affected": {"min_value": 1, "max_value": 100_000},
    "title": {"allow_blank": False},
}


class DefectCreateSerializer(StrictSerializerMixin, serializers.ModelSerializer[Defect]):
    area = serializers.PrimaryKeyRelatedField(queryset=Area.objects.filter(active=True))
    category = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.filter(active=True), required=False, allow_null=True
    )
    system = serializers.PrimaryKeyRelatedField(
        queryset=System.objects.filter(active=True), required=False, allow_null=True
    )
    institution = serializers.PrimaryKeyRelatedField(
        queryset=Institution.objects.filter(active=True), required=False
    )
    kind = serializers.ChoiceField(choices=DefectKind.choices, required=False)

    class Meta:
        model = Defect
        fields = [
            "title",
            "description",
            "kind",
            "area",
            "category",
            "system",
            "institution",
            "unit",
            *FACT_NAMES,
            "extra_hours_per_week",
            "people_affected",
            "workaround",
            "workaround_hours_per_week",
            "deadline",
            "confidential",
        ]
        extra_kwargs = _DEFECT_INPUT_KWARGS


class DefectUpdateSerializer(StrictSerializerMixin, serializers.ModelSerializer[Defect]):
    """Every field someone may change; which of them this user may change is the service's call."""

    area = serializers.PrimaryKeyRelatedField(queryset=Area.objects.filter(active=True))
    category = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.filter(active=True), allow_null=True
    )
    system = serializers.PrimaryKeyRelatedField(
        queryset=System.objects.filter(active=True), allow_null=True
    )
    institution = serializers.PrimaryKeyRelatedField(
        queryset=Institution.objects.filter(active=True)
    )
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), allow_null=True
    )
    kind = serializers.ChoiceField(choices=DefectKind.choices)

    class Meta:
        model = Defect
        fields = sorted(services.MANAGEMENT_FIELDS | services.LIAISON_FIELDS)
        extra_kwargs = _DEFECT_INPUT_KWARGS


class DefectReplaceSerializer(DefectUpdateSerializer):
    """PUT: every field a reporter describes a defect with must be given; the rest may be."""

    institution = serializers.PrimaryKeyRelatedField(
        queryset=Institution.objects.filter(active=True), required=False
    )
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), allow_null=True, required=False
    )

    class Meta(DefectUpdateSerializer.Meta):
        extra_kwargs = {
            name: {**_DEFECT_INPUT_KWARGS.get(name, {}), "required": True}
            for name in sorted(services.REPORTER_FIELDS)
        } | {
            name: {"required": False}
            for name in sorted(services.MANAGEMENT_FIELDS - services.REPORTER_FIELDS)
            if name not in ("institution", "owner")
        }


class TransitionSerializer(StrictSerializerMixin, serializers.Serializer[Any]):
    to_status = serializers.ChoiceField(choices=DefectStatus.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    duplicate_of = serializers.IntegerField(required=False, allow_null=True, min_value=1)


class TierOverrideSerializer(StrictSerializerMixin, serializers.Serializer[Any]):
    tier = serializers.ChoiceField(choices=TIER_CHOICES, allow_null=True)
    reason = serializers.CharField(max_length=5000)


class MergeSerializer(StrictSerializerMixin, serializers.Serializer[Any]):
    into = serializers.IntegerField(min_value=1, help_text="Id til saken som beholdes.")


class CommentSerializer(StrictSerializerMixin, serializers.ModelSerializer[Comment]):
    author: serializers.PrimaryKeyRelatedField[User] = serializers.PrimaryKeyRelatedField(
        read_only=True
    )
    internal = serializers.BooleanField(required=False, default=False)

    class Meta:
        model = Comment
        fields = ["id", "author", "body", "internal", "created_at", "moved_from"]
        read_only_fields = ["id", "author", "created_at", "moved_from"]
        extra_kwargs = {"body": {"max_length": 20_000}}


class AttachmentSerializer(serializers.ModelSerializer[Attachment]):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = [
            "id",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_by",
            "created_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, obj: Attachment) -> str:
        from django.urls import reverse

        return reverse(
            "api:defect-attachment-download",
            kwargs={"defect_pk": obj.defect_id, "pk": obj.pk},
        )


class AttachmentUploadSerializer(StrictSerializerMixin, serializers.Serializer[Any]):
    file = serializers.FileField(max_length=255)


class FlagSerializer(serializers.Serializer[Any]):
    """The state of "affects us too" / "follow" for the current user after the change."""

    active = serializers.BooleanField()


class DefectQuerySerializer(serializers.Serializer[Any]):
    """Query parameters that DefectFilter would read leniently; the API accepts them strictly.

    DefectFilter treats e.g. ``has_workaround=maybe`` as "not given"; a script
    with a typo must hear about it instead of silently getting everything.
    """

    has_workaround = serializers.ChoiceField(choices=["true", "false"], required=False)
    has_dfo_reference = serializers.ChoiceField(choices=["true", "false"], required=False)
    overridden = serializers.ChoiceField(choices=["true", "false"], required=False)
    min_age_days = serializers.IntegerField(min_value=0, max_value=36500, required=False)
    max_age_days = serializers.IntegerField(min_value=0, max_value=36500, required=False)


class ErrorSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField()
    code = serializers.CharField()
    # Only describes the JSON; the field name shadows Serializer.errors for type checkers alone.
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()), required=False
    )
