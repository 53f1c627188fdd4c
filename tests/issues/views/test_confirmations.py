"""The confirmation pages: the start page lists the university's open fixes; the defect page
answers them, refuses others, and keeps the note when the dispute is incomplete."""

import pytest
from django.test import Client

from issues.models import ConfirmationState, Defect, DefectStatus, FixConfirmation, User
from issues.services.defects import defect_transition
from issues.services.participation import affects_us_add
from tests.factories import make_defect, make_user

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def fixed(reporter: User, other_reporter: User, manager: User) -> Defect:
    defect = make_defect(reporter, title="Reiseregning avvises")
    affects_us_add(defect=defect, user=other_reporter)
    for status in (DefectStatus.TRIAGED, DefectStatus.REPORTED, DefectStatus.FIXED):
        defect = defect_transition(defect=defect, actor=manager, to_status=status)
    return defect


def test_start_page_lists_the_universitys_open_confirmations(
    fixed: Defect, reporter: User, manager: User
) -> None:
    colleague = make_user("reporter", institution="UiO")
    page = client_for(colleague).get("/").content.decode()
    assert "Rettinger som venter på svar fra UiO" in page
    assert fixed.title in page
    # NTNU was not affected: nothing to confirm there.
    assert "Rettinger som venter" not in client_for(manager).get("/").content.decode()


def test_confirm_from_the_defect_page(fixed: Defect, other_reporter: User) -> None:
    client = client_for(other_reporter)
    assert "Fungerer hos oss (UiB)" in client.get(fixed.get_absolute_url()).content.decode()
    response = client.post(f"/feil/{fixed.pk}/bekreftelse/", {"action": "confirm"})
    assert response.status_code == 302
    row = FixConfirmation.objects.get(defect=fixed, institution__code="UiB")
    assert row.state == ConfirmationState.CONFIRMED
    assert row.answered_by == other_reporter


def test_dispute_without_note_is_refused_in_norwegian_and_changes_nothing(
    fixed: Defect, reporter: User
) -> None:
    response = client_for(reporter).post(
        f"/feil/{fixed.pk}/bekreftelse/", {"action": "dispute", "note": " "}
    )
    assert response.status_code == 400
    assert "Skriv hva som fortsatt ikke fungerer." in response.content.decode()
    assert Defect.objects.get(pk=fixed.pk).status == DefectStatus.FIXED


def test_dispute_reopens(fixed: Defect, reporter: User) -> None:
    client_for(reporter).post(
        f"/feil/{fixed.pk}/bekreftelse/", {"action": "dispute", "note": "Feiler fortsatt"}
    )
    assert Defect.objects.get(pk=fixed.pk).status == DefectStatus.REOPENED
    page = client_for(reporter).get(fixed.get_absolute_url()).content.decode()
    assert "Feiler fortsatt" in page


def test_others_and_hidden_defects_get_404(fixed: Defect, manager: User) -> None:
    # NTNU has no confirmation to give; a confidential defect of someone else is not there.
    assert (
        client_for(manager)
        .post(f"/feil/{fixed.pk}/bekreftelse/", {"action": "confirm"})
        .status_code
        == 404
    )
    secret = make_defect(make_user("reporter", institution="UiB"), confidential=True)
    outsider = make_user("reporter", institution="UiB")
    response = client_for(outsider).post(f"/feil/{secret.pk}/bekreftelse/", {"action": "confirm"})
    assert response.status_code == 404
