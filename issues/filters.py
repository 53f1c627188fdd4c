"""The one DefectFilter: the triage page, the known-defects page, the API and the exports use it."""

import datetime as dt
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelMultipleChoiceField

from issues.models import (
    AffectsUs,
    Area,
    Category,
    Defect,
    DefectKind,
    DefectStatus,
    Institution,
    Release,
    System,
)
from issues.search import search_defects
from issues.vocabulary import TIER_NUMBER_CHOICES


class _ModelMultipleChoiceField(ModelMultipleChoiceField):
    """Nothing chosen cleans to ``[]``, not to ``queryset.none()``.

    The filter then tests the value for truth (``if not value``), and a ``none()`` queryset is
    compiled to SQL just to learn that it is empty: four compilations per list page, on every
    list page and API call, for the filters nobody set.
    """

    def clean(self, value: Any) -> Any:
        if not self.required and not value:
            return []
        return super().clean(value)


class _ModelMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = _ModelMultipleChoiceField


class DefectFilter(django_filters.FilterSet):
    # distinct=False on the multi-value filters: they filter columns of the defect itself, and a
    # DISTINCT would make PostgreSQL sort every match before the queue could paginate.
    q = django_filters.CharFilter(label=_("Søk"), method="filter_text")
    area = _ModelMultipleChoiceFilter(
        distinct=False, label=_("Område"), queryset=Area.objects.filter(active=True)
    )
    category = _ModelMultipleChoiceFilter(
        distinct=False, label=_("Kategori"), queryset=Category.objects.filter(active=True)
    )
    system = _ModelMultipleChoiceFilter(
        distinct=False, label=_("System"), queryset=System.objects.filter(active=True)
    )
    institution = _ModelMultipleChoiceFilter(
        label=_("Institusjon"), queryset=Institution.objects.all(), method="filter_institution"
    )
    tier = django_filters.MultipleChoiceFilter(
        label=_("Nivå"), choices=TIER_NUMBER_CHOICES, distinct=False
    )
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=DefectStatus.choices, distinct=False
    )
    kind = django_filters.MultipleChoiceFilter(
        label=_("Type"), choices=DefectKind.choices, distinct=False
    )
    has_workaround = django_filters.BooleanFilter(
        label=_("Har midlertidig løsning"), method="filter_has_workaround"
    )
    has_dfo_reference = django_filters.BooleanFilter(
        label=_("Har DFØ-referanse"), method="filter_has_dfo_reference"
    )
    release = django_filters.ModelChoiceFilter(
        label=_("Release"), queryset=Release.objects.all(), field_name="target_release"
    )
    min_age_days = django_filters.NumberFilter(
        label=_("Eldre enn (dager)"), method="filter_min_age", min_value=0, max_value=36500
    )
    max_age_days = django_filters.NumberFilter(
        label=_("Nyere enn (dager)"), method="filter_max_age", min_value=0, max_value=36500
    )
    overridden = django_filters.BooleanFilter(
        label=_("Overstyrt nivå"), field_name="tier_override", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = Defect
        fields: list[str] = []

    def filter_text(self, queryset: QuerySet[Defect], name: str, value: str) -> QuerySet[Defect]:
        return search_defects(queryset, value)

    def filter_institution(
        self, queryset: QuerySet[Defect], name: str, value: Any
    ) -> QuerySet[Defect]:
        if not value:
            return queryset
        # A defect concerns an institution that reported it or said "affects us too".
        ids = [i.pk for i in value]
        # A subquery, not a join + DISTINCT: DISTINCT would sort every match before paginating.
        affected = AffectsUs.objects.filter(institution_id__in=ids).values("defect_id")
        return queryset.filter(Q(institution_id__in=ids) | Q(pk__in=affected))

    def filter_has_workaround(
        self, queryset: QuerySet[Defect], name: str, value: bool | None
    ) -> QuerySet[Defect]:
        if value is None:
            return queryset
        return queryset.exclude(workaround="") if value else queryset.filter(workaround="")

    def filter_has_dfo_reference(
        self, queryset: QuerySet[Defect], name: str, value: bool | None
    ) -> QuerySet[Defect]:
        if value is None:
            return queryset
        return queryset.exclude(dfo_reference="") if value else queryset.filter(dfo_reference="")

    def filter_min_age(self, queryset: QuerySet[Defect], name: str, value: Any) -> QuerySet[Defect]:
        return queryset.filter(created_at__lte=timezone.now() - dt.timedelta(days=int(value)))

    def filter_max_age(self, queryset: QuerySet[Defect], name: str, value: Any) -> QuerySet[Defect]:
        return queryset.filter(created_at__gte=timezone.now() - dt.timedelta(days=int(value)))
