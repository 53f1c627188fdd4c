"""Read-only API views for reference data (institutions, units, areas, categories, systems)."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets

from issues.api.serializers.reference import (
    AreaSerializer,
    CategorySerializer,
    InstitutionSerializer,
    OrgUnitSerializer,
    SystemSerializer,
)
from issues.models import (
    Area,
    Category,
    Institution,
    OrgUnit,
    System,
)


class ReferenceViewSet(viewsets.ReadOnlyModelViewSet[Any]):
    pagination_class = None


@extend_schema(tags=["reference"])
class InstitutionViewSet(ReferenceViewSet):
    queryset = Institution.objects.all()
    serializer_class = InstitutionSerializer


@extend_schema(tags=["reference"])
class OrgUnitViewSet(ReferenceViewSet):
    queryset = OrgUnit.objects.all()
    serializer_class = OrgUnitSerializer


@extend_schema(tags=["reference"])
class AreaViewSet(ReferenceViewSet):
    queryset = Area.objects.all()
    serializer_class = AreaSerializer


@extend_schema(tags=["reference"])
class CategoryViewSet(ReferenceViewSet):
    queryset = Category.objects.all()
    serializer_class = CategorySerializer


@extend_schema(tags=["reference"])
class SystemViewSet(ReferenceViewSet):
    queryset = System.objects.all()
    serializer_class = SystemSerializer
