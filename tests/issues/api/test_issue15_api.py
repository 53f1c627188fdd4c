"""API for confirmations, routines and notification choices: the paths a script would use."""

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from issues.models import ConfirmationState, DefectStatus, FixConfirmation, Routine, User
from issues.services.defects import defect_transition
from tests.factories import make_defect

pytestmark = pytest.mark.django_db


def test_confirm_and_list_by_state(
    reporter: User, manager: User, api_client_for: Callable[[User | None], APIClient]
) -> None:
    defect = make_defect(reporter)
    for status in (DefectStatus.TRIAGED, DefectStatus.REPORTED, DefectStatus.FIXED):
        defect = defect_transition(defect=defect, actor=manager, to_status=status)
    client = api_client_for(reporter)
    rows = client.get("/api/v1/confirmations/?state=waiting").json()["results"]
    assert [r["institution"] for r in rows] == ["UiO"]
    response = client.post(f"/api/v1/confirmations/{rows[0]['id']}/confirm/")
    assert response.status_code == 200
    assert FixConfirmation.objects.get().state == ConfirmationState.CONFIRMED
    bad = client.get("/api/v1/confirmations/?state=maybe")
    assert bad.status_code == 400
    assert "Må være en av" in str(bad.json())


def test_dispute_needs_a_note(
    reporter: User, manager: User, api_client_for: Callable[[User | None], APIClient]
) -> None:
    defect = make_defect(reporter)
    for status in (DefectStatus.TRIAGED, DefectStatus.REPORTED, DefectStatus.FIXED):
        defect = defect_transition(defect=defect, actor=manager, to_status=status)
    row = FixConfirmation.objects.get()
    client = api_client_for(reporter)
    assert (
        client.post(f"/api/v1/confirmations/{row.pk}/dispute/", {}, format="json").status_code
        == 400
    )
    response = client.post(
        f"/api/v1/confirmations/{row.pk}/dispute/", {"note": "Feil beløp"}, format="json"
    )
    assert response.status_code == 200
    assert defect.__class__.objects.get(pk=defect.pk).status == DefectStatus.REOPENED


def test_routine_create_and_preferences(
    manager: User, api_client_for: Callable[[User | None], APIClient]
) -> None:
    client = api_client_for(manager)
    response = client.post(
        "/api/v1/routines/", {"title": "Rutine", "body": "1. Steg"}, format="json"
    )
    assert response.status_code == 201
    assert Routine.objects.get().owner == manager
    url = "/api/v1/notification-preferences/"
    listed = {r["notification"]: r["frequency"] for r in client.get(url).json()}
    assert listed["confirmations"] == "daily"
    bad = client.patch(url, {"notification": "followed", "frequency": "hourly"}, format="json")
    assert bad.status_code == 400
    ok = client.patch(url, {"notification": "followed", "frequency": "weekly"}, format="json")
    assert {"notification": "followed", "frequency": "weekly"} in ok.json()
