import datetime as dt

import pytest
from django.test import Client

from issues.models import Defect, Release, User
from tests.factories import make_defect

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_release_pages_show_counts_and_overdue(reporter: User, other_reporter: User) -> None:
    late = Release.objects.create(name="2026.2", expected_date=dt.date(2026, 1, 10))
    d = make_defect(reporter, title="Lovet, ikke rettet")
    secret = make_defect(reporter, title="Skjult sak", confidential=True)
    Defect.objects.filter(pk__in=[d.pk, secret.pk]).update(target_release=late)
    page = _client(other_reporter).get("/releaser/").content.decode()
    assert "2026.2" in page
    assert "Forsinket" in page
    detail = _client(other_reporter).get(f"/releaser/{late.pk}/").content.decode()
    assert "Lovet, ikke rettet" in detail
    assert "Skjult sak" not in detail  # counts and lists hold only what the user may see
    assert "Skjult sak" in _client(reporter).get(f"/releaser/{late.pk}/").content.decode()


def test_missing_release_is_404_and_anonymous_is_sent_to_login(reporter: User) -> None:
    assert _client(reporter).get("/releaser/999999/").status_code == 404
    assert Client().get("/releaser/").status_code == 302


def test_api_summary(reporter: User) -> None:
    from issues.services.api_tokens import api_token_create

    release = Release.objects.create(name="2026.4", expected_date=dt.date(2026, 1, 10))
    d = make_defect(reporter)
    Defect.objects.filter(pk=d.pk).update(target_release=release)
    token = api_token_create(user=reporter, name="t")[1]
    response = Client().get(
        f"/api/v1/releases/{release.pk}/summary/", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.json() == {
        "promised": 1,
        "delivered": 0,
        "unfixed": 1,
        "overdue": True,
        "universities": [],
    }


def test_release_page_follows_each_fix_to_every_university(
    reporter: User, other_reporter: User, manager: User
) -> None:
    from issues.services.confirmations import confirmation_confirm
    from issues.services.defects import defect_transition
    from issues.services.participation import affects_us_add

    release = Release.objects.create(name="2026.6", expected_date=dt.date(2026, 1, 10))
    defect = make_defect(reporter, title="Levert og bekreftet")
    affects_us_add(defect=defect, user=other_reporter)
    Defect.objects.filter(pk=defect.pk).update(target_release=release)
    for status in ("triaged", "reported_to_dfo", "fixed"):
        defect = defect_transition(defect=defect, actor=manager, to_status=status)
    confirmation_confirm(
        confirmation=defect.confirmations.get(institution=other_reporter.institution),
        actor=other_reporter,
    )
    page = _client(reporter).get(f"/releaser/{release.pk}/").content.decode()
    assert "UiB: Fungerer hos oss; UiO: Venter" in page
