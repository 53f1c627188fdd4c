"""Serializers for defects: output shapes, and input validation before a service is called.

Input serializers never save; the views hand ``validated_data`` to a service. Unknown fields are
refused (400) so a typo or a forbidden field is never silently ignored."""

from typing import Any

from rest_framework import serializers

from issues.api.serializers.common import BuiltFieldsCacheMixin, StrictSerializerMixin
from issues.models import (
    Area,
    Category,
    Defect,
    DefectKind,
    DefectStatus,
    Institution,
    System,
    User,
)
from issues.vocabulary import (
    CREATE_FIELDS,
    EXTRA_HOURS_PER_WEEK,
    LIAISON_FIELDS,
    MANAGEMENT_FIELDS,
    PEOPLE_AFFECTED,
    REPORTER_FIELDS,
    TIER_CHOICES,
    TITLE_MIN_LENGTH,
    WORKAROUND_HOURS_PER_WEEK,
    ordered,
)
from priorities.rules import FACT_NAMES

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


class DefectListSerializer(BuiltFieldsCacheMixin, serializers.ModelSerializer[Defect]):
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


# The vocabulary's limits; hours as JSON numbers, not strings.
_DEFECT_INPUT_KWARGS: dict[str, dict[str, Any]] = {
    "extra_hours_per_week": {**EXTRA_HOURS_PER_WEEK.field_kwargs(), "coerce_to_string": False},
    "workaround_hours_per_week": {
        **WORKAROUND_HOURS_PER_WEEK.field_kwargs(),
        "coerce_to_string": False,
        "allow_null": True,
    },
    "people_affected": PEOPLE_AFFECTED.field_kwargs(),
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
        fields = ordered(CREATE_FIELDS)
        # A new title has the report form's minimum (issue 16); the service checks the length
        # limits both share. Edits keep the old rule (the triage form's).
        extra_kwargs = {
            **_DEFECT_INPUT_KWARGS,
            "title": {"allow_blank": False, "min_length": TITLE_MIN_LENGTH},
        }


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
        fields = ordered(MANAGEMENT_FIELDS | LIAISON_FIELDS)
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
            for name in sorted(REPORTER_FIELDS)
        } | {
            name: {"required": False}
            for name in sorted(MANAGEMENT_FIELDS - REPORTER_FIELDS)
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
