"""API for confirmations, routines and notification choices: the paths a script would use."""

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from issues.models import ConfirmationState, DefectStatus, FixConfirmation, Routine, User
from issues.services.defects import defect_transition
from issues.services.routines import routine_create
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


@pytest.fixture
def flagged(manager: User) -> Routine:
    routine = routine_create(actor=manager, title="Rutine", body="1. Steg", owner=manager)
    Routine.objects.filter(pk=routine.pk).update(
        needs_review=True, review_reason="BOTT-1 er rettet"
    )
    return Routine.objects.get(pk=routine.pk)


def test_routine_edit_needs_the_current_etag(
    flagged: Routine, manager: User, api_client_for: Callable[[User | None], APIClient]
) -> None:
    client = api_client_for(manager)
    url = f"/api/v1/routines/{flagged.pk}/"
    etag = client.get(url)["ETag"]
    assert etag == f'"{flagged.pk}-{flagged.version}"'
    body = {"title": "Ny tittel"}
    assert client.patch(url, body, format="json").status_code == 428
    stale = f'"{flagged.pk}-{flagged.version + 1}"'
    assert client.patch(url, body, format="json", headers={"If-Match": stale}).status_code == 412
    assert client.patch(url, body, format="json", headers={"If-Match": "*"}).status_code == 400
    assert Routine.objects.get(pk=flagged.pk).title == "Rutine"

    response = client.patch(url, body, format="json", headers={"If-Match": etag})
    assert response.status_code == 200, response.json()
    assert response.json()["title"] == "Ny tittel"
    assert response.json()["needs_review"] is False  # an edit is a review
    assert response["ETag"] == f'"{flagged.pk}-{flagged.version + 1}"'
    again = client.patch(url, {"body": "2. Steg"}, format="json", headers={"If-Match": etag})
    assert again.status_code == 412  # the ETag from before the edit is stale now


def test_routine_edit_errors_in_the_callers_language(
    flagged: Routine, manager: User, api_client_for: Callable[[User | None], APIClient]
) -> None:
    client = api_client_for(manager)
    url = f"/api/v1/routines/{flagged.pk}/"
    headers = {"If-Match": f'"{flagged.pk}-{flagged.version}"'}
    nb = client.patch(url, {"needs_review": False}, format="json", headers=headers)
    assert nb.status_code == 400
    assert nb.json()["errors"] == {"needs_review": ["Ukjent eller skrivebeskyttet felt."]}
    en = client.patch(
        url, {"body": "   "}, format="json", headers=headers, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert en.status_code == 400
    assert en.json()["errors"] == {"body": ["This field may not be blank."]}
    assert Routine.objects.get(pk=flagged.pk).version == flagged.version


def test_routine_link_and_unlink(
    flagged: Routine,
    manager: User,
    reporter: User,
    other_reporter: User,
    api_client_for: Callable[[User | None], APIClient],
) -> None:
    ours = make_defect(reporter, title="Vår sak")
    hidden = make_defect(other_reporter, title="Fortrolig", confidential=True)
    client = api_client_for(manager)
    url = f"/api/v1/routines/{flagged.pk}/"
    for defect in (ours, hidden, ours):  # linking twice changes nothing
        response = client.post(url + "link/", {"defect": defect.pk}, format="json")
        assert response.status_code == 200, response.json()
    assert sorted(response.json()["defects"]) == sorted([ours.pk, hidden.pk])
    assert response.json()["needs_review"] is True  # a link is no review
    assert response["ETag"] == f'"{flagged.pk}-{flagged.version + 2}"'
    # The reporter reads the routine but not the link to a defect they may not see.
    assert api_client_for(reporter).get(url).json()["defects"] == [ours.pk]

    missing = client.post(url + "link/", {"defect": 999999}, format="json")
    assert missing.status_code == 400
    assert missing.json()["errors"] == {"defect": ["Finner ikke saken: 999999"]}
    stale = {"If-Match": f'"{flagged.pk}-{flagged.version}"'}
    refused = client.post(url + "unlink/", {"defect": ours.pk}, format="json", headers=stale)
    assert refused.status_code == 412
    response = client.post(url + "unlink/", {"defect": ours.pk}, format="json")
    assert response.json()["defects"] == [hidden.pk]
    assert list(Routine.objects.get(pk=flagged.pk).defects.all()) == [hidden]


def test_reporters_read_routines_but_never_write_them(
    flagged: Routine,
    manager: User,
    reporter: User,
    other_reporter: User,
    api_client_for: Callable[[User | None], APIClient],
) -> None:
    defect = make_defect(reporter)
    uib_only = routine_create(
        actor=manager,
        title="UiB",
        body="Steg",
        owner=manager,
        institution=other_reporter.institution,
    )
    client = api_client_for(reporter)
    url = f"/api/v1/routines/{flagged.pk}/"
    headers = {"If-Match": f'"{flagged.pk}-{flagged.version}"'}
    assert client.patch(url, {"title": "X"}, format="json", headers=headers).status_code == 403
    assert client.post(url + "link/", {"defect": defect.pk}, format="json").status_code == 403
    assert client.post(url + "unlink/", {"defect": defect.pk}, format="json").status_code == 403
    assert client.post(url + "review/").status_code == 403  # not the owner
    hidden = f"/api/v1/routines/{uib_only.pk}/"
    assert client.get(hidden).status_code == 404
    assert client.post(hidden + "review/").status_code == 404
    assert "UiB" not in str(client.get("/api/v1/routines/").json())
    assert Routine.objects.get(pk=flagged.pk).version == flagged.version
    assert not Routine.objects.get(pk=flagged.pk).defects.exists()


def test_digest_choice_through_the_api(
    manager: User, reporter: User, api_client_for: Callable[[User | None], APIClient]
) -> None:
    url = "/api/v1/notification-preferences/"
    client = api_client_for(manager)
    assert {"notification": "digest", "frequency": "weekly"} in client.get(url).json()
    off = client.patch(url, {"notification": "digest", "frequency": "off"}, format="json")
    assert {"notification": "digest", "frequency": "off"} in off.json()
    daily = client.patch(
        url,
        {"notification": "digest", "frequency": "daily"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert daily.status_code == 400
    assert daily.json()["errors"] == {"frequency": ["The digest is weekly or off."]}
    on = client.patch(url, {"notification": "digest", "frequency": "weekly"}, format="json")
    assert {"notification": "digest", "frequency": "weekly"} in on.json()

    theirs = api_client_for(reporter)
    assert "digest" not in {r["notification"] for r in theirs.get(url).json()}
    refused = theirs.patch(url, {"notification": "digest", "frequency": "weekly"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"] == {"digest": ["Ugyldig valg."]}
