import pytest
from django.test import Client

from issues.models import DefectStatus, Routine, User
from issues.services.defects import defect_transition
from issues.services.routines import routine_create
from tests.factories import make_defect, make_user

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_manager_writes_a_routine_linked_by_key_and_it_shows_on_defect_and_known_pages(
    reporter: User, manager: User
) -> None:
    defect = make_defect(reporter, title="Bestilling henger")
    defect = defect_transition(defect=defect, actor=manager, to_status=DefectStatus.TRIAGED)
    response = _client(manager).post(
        "/rutiner/ny/",
        {
            "title": "Send bestilling på nytt",
            "body": "1. Åpne\n2. <script>alert(1)</script>Send",
            "institution": "",
            "owner": manager.pk,
            "defect_keys": defect.key,
        },
    )
    assert response.status_code == 302
    routine = Routine.objects.get()
    page = _client(reporter).get(f"/rutiner/{routine.pk}/").content.decode()
    assert "<script>alert" not in page  # sanitised markdown
    assert defect.key in page
    assert (
        "Send bestilling på nytt"
        in _client(reporter).get(defect.get_absolute_url()).content.decode()
    )
    assert "Send bestilling på nytt" in _client(reporter).get("/").content.decode()


def test_unknown_key_is_refused_and_nothing_is_lost(manager: User) -> None:
    response = _client(manager).post(
        "/rutiner/ny/",
        {"title": "T", "body": "Mine steg", "owner": manager.pk, "defect_keys": "BOTT-999999"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Finner ikke saken: BOTT-999999" in page
    assert "Mine steg" in page
    assert not Routine.objects.exists()


def test_reporter_cannot_write_and_other_universitys_routine_is_hidden(
    reporter: User, other_reporter: User, manager: User
) -> None:
    assert _client(reporter).get("/rutiner/ny/").status_code == 403
    uib_only = routine_create(
        actor=manager,
        title="UiB-rutine",
        body="Steg",
        owner=manager,
        institution=other_reporter.institution,
    )
    assert _client(reporter).get(f"/rutiner/{uib_only.pk}/").status_code == 404
    assert _client(other_reporter).get(f"/rutiner/{uib_only.pk}/").status_code == 200


def test_owner_clears_the_flag_from_the_page(reporter: User, manager: User) -> None:
    owner = make_user("management")
    routine = routine_create(actor=manager, title="R", body="Steg", owner=owner)
    Routine.objects.filter(pk=routine.pk).update(
        needs_review=True, review_reason="BOTT-1 er rettet"
    )
    assert "Må gjennomgås" in _client(owner).get("/rutiner/?gjennomgas=1").content.decode()
    _client(owner).post(f"/rutiner/{routine.pk}/gjennomgatt/")
    assert not Routine.objects.get(pk=routine.pk).needs_review
