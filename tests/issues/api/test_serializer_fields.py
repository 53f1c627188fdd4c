"""The defect serializers build their fields once per class and language (BuiltFieldsCacheMixin)."""

from django.utils import translation

from issues.api.serializers.defects import DefectListSerializer, DefectSerializer


def test_each_serializer_gets_its_own_bound_fields() -> None:
    first, second = DefectListSerializer(), DefectListSerializer()
    assert first.fields["title"] is not second.fields["title"]
    assert first.fields["title"].parent is first
    assert second.fields["title"].parent is second


def test_fields_follow_the_class_and_the_language() -> None:
    with translation.override("nb"):
        nb = DefectListSerializer().fields["title"].label
    with translation.override("en"):
        en = DefectListSerializer().fields["title"].label
    assert (nb, en) == ("Tittel", "Title")
    # The detail serializer subclasses the list one; it keeps its own, longer field list.
    assert "description" in DefectSerializer().fields
    assert "description" not in DefectListSerializer().fields
