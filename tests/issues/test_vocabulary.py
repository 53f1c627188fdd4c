"""One vocabulary: the form, the API, the services and the model agree on fields and limits."""

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from issues.api.serializers.defects import DefectCreateSerializer, DefectUpdateSerializer
from issues.forms.reporting import ReportForm
from issues.forms.triage import DefectTriageForm
from issues.models import Defect, OrgUnit, User
from issues.services.defects import defect_update, editable_fields
from issues.templatetags.reporting_tags import status_color
from issues.vocabulary import (
    CREATE_FIELDS,
    HOURS_IN_A_WEEK,
    LIAISON_FIELDS,
    MANAGEMENT_FIELDS,
    REPORTER_FIELDS,
    TIER_CHOICES,
    DefectStatus,
)
from tests.factories import make_defect

pytestmark = pytest.mark.django_db
TOO_MANY_HOURS = HOURS_IN_A_WEEK + 1


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _triage_data(client: Client, defect: Defect, **changes: Any) -> dict[str, Any]:
    form = client.get(reverse("issues:triage_defect", args=[defect.pk])).context["form"]
    values = {name: form[name].value() for name in form.fields}
    data = {name: v for name, v in values.items() if v is not None and v is not False}
    return {**data, "action": "edit", **changes}


def test_forms_serializers_and_services_use_the_same_fields(
    reporter: User, manager: User, liaison: User
) -> None:
    defect = make_defect(reporter)
    assert set(DefectTriageForm(instance=defect).fields) == (
        MANAGEMENT_FIELDS - {"owner"} | {"owner_username", "version"}
    )
    assert set(DefectCreateSerializer().fields) == CREATE_FIELDS
    assert set(DefectUpdateSerializer().fields) == MANAGEMENT_FIELDS | LIAISON_FIELDS
    assert set(ReportForm(user=reporter).fields) >= REPORTER_FIELDS
    assert editable_fields(manager, defect) == MANAGEMENT_FIELDS
    assert editable_fields(reporter, defect) == REPORTER_FIELDS
    assert editable_fields(liaison, defect) == LIAISON_FIELDS


def test_triage_form_edits_the_unit(reporter: User, manager: User) -> None:
    defect = make_defect(reporter)
    unit = OrgUnit.objects.get(institution=defect.institution, code="IMB")
    client = _client(manager)
    response = client.post(
        reverse("issues:triage_defect", args=[defect.pk]),
        _triage_data(client, defect, unit=unit.pk),
    )
    assert response.status_code == 302
    assert Defect.objects.get(pk=defect.pk).unit == unit


def test_forms_refuse_more_workaround_hours_than_a_week_has(reporter: User, manager: User) -> None:
    report = ReportForm(
        data={"workaround": "Manuelt", "workaround_hours_per_week": str(TOO_MANY_HOURS)},
        user=reporter,
    )
    assert not report.is_valid()
    assert "workaround_hours_per_week" in report.errors
    defect = make_defect(reporter)
    client = _client(manager)
    response = client.post(
        reverse("issues:triage_defect", args=[defect.pk]),
        _triage_data(client, defect, workaround_hours_per_week=str(TOO_MANY_HOURS)),
    )
    assert response.status_code == 400
    assert response.context["form"].errors["workaround_hours_per_week"]
    assert Defect.objects.get(pk=defect.pk).workaround_hours_per_week is None


def test_the_model_refuses_values_outside_the_limits(reporter: User) -> None:
    defect = make_defect(reporter)
    for field, value in (
        ("workaround_hours_per_week", Decimal(TOO_MANY_HOURS)),
        ("extra_hours_per_week", Decimal(TOO_MANY_HOURS)),
        ("people_affected", 0),
    ):
        with pytest.raises(ValidationError) as refused:
            defect_update(defect=defect, actor=reporter, expected_version=1, data={field: value})
        assert field in refused.value.message_dict


def test_tier_labels_follow_the_active_language() -> None:
    with translation.override("en"):
        assert [str(label) for _tier, label in TIER_CHOICES] == ["Tier 1", "Tier 2", "Tier 3"]
        assert Defect(tier=2).get_tier_display() == "Tier 2"
    with translation.override("nb"):
        assert str(TIER_CHOICES[0][1]) == "Nivå 1"


def test_status_tags_are_coloured_by_the_workflow_groups() -> None:
    colours = {status: status_color(status) for status in DefectStatus.values}
    assert colours == {
        "new": "warning",
        "reopened": "warning",
        "triaged": "info",
        "reported_to_dfo": "info",
        "in_progress": "info",
        "fixed": "success",
        "verified": "success",
        "closed": "success",
        "rejected": "neutral",
        "duplicate": "neutral",
    }
