"""Every defect list says how many defects match: counted once, capped at COUNT_CAP."""

import pytest
from django.test import Client
from django.urls import reverse

from issues.models import DefectStatus, User
from issues.services.defects import defect_transition
from tests.factories import make_defect

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def three_invoices(reporter: User, manager: User) -> None:
    for title in ("Fakturaen avvises", "Fakturaer blir liggende", "Leverandørfaktura uten KID"):
        defect = make_defect(reporter, title=title)
        defect_transition(defect=defect, actor=manager, to_status=DefectStatus.TRIAGED)
    make_defect(reporter, title="Signering feiler")


@pytest.mark.usefixtures("three_invoices")
def test_lists_show_how_many_match(reporter: User, manager: User) -> None:
    known = _client(reporter).get(reverse("issues:home"), {"q": "faktura"}).content.decode()
    assert "3 saker" in known
    mine = _client(reporter).get(reverse("issues:my_defects")).content.decode()
    assert "4 saker" in mine
    queue = _client(manager).get(reverse("issues:triage_queue"), {"q": "faktura"}).content.decode()
    assert "3 saker" in queue, queue[queue.find("aria-live") : queue.find("aria-live") + 300]


@pytest.mark.usefixtures("three_invoices")
def test_count_is_capped(reporter: User, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("issues.selectors.defects.COUNT_CAP", 2)
    known = _client(reporter).get(reverse("issues:home"), {"q": "faktura"}).content.decode()
    assert "Over 2 saker" in known
