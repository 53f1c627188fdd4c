"""Serializers for reference data, releases and meetings."""

from typing import Any

from rest_framework import serializers

from issues.api.serializers.common import StrictSerializerMixin
from issues.models import (
    Area,
    Category,
    Institution,
    Meeting,
    OrgUnit,
    Release,
    System,
)


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


class UniversityCountsSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    confirmed = serializers.IntegerField()
    disputed = serializers.IntegerField()
    waiting = serializers.IntegerField()
    unanswered = serializers.IntegerField()


class ReleaseSummarySerializer(serializers.Serializer[Any]):
    promised = serializers.IntegerField()
    delivered = serializers.IntegerField()
    unfixed = serializers.IntegerField()
    overdue = serializers.BooleanField()
    universities = UniversityCountsSerializer(many=True)


class MeetingSerializer(serializers.ModelSerializer[Meeting]):
    class Meta:
        model = Meeting
        fields = ["id", "kind", "starts_at", "title", "notes"]
