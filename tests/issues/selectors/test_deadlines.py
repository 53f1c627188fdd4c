"""Deadlines before the next DFØ meeting are highlighted in the queue, meeting view and digest."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from issues.models import Defect, Meeting, RecurringDeadline, User
from issues.selectors.deadlines import before_next_meeting, deadline_context
from issues.selectors.digests import collect_digest_data
from issues.services.defects import defect_transition
from tests.factories import make_defect

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(reporter: User, manager: User) -> dict[str, Defect]:
    today = timezone.localdate()
    Meeting.objects.create(kind="driftsmote", starts_at=timezone.now() + dt.timedelta(days=7))
    soon = make_defect(reporter, title="Frist om tre dager", deadline=today + dt.timedelta(days=3))
    later = make_defect(reporter, title="Frist om en måned", deadline=today + dt.timedelta(days=30))
    # Tied to a monthly run that falls within the week before the meeting.
    run_day = (today + dt.timedelta(days=2)).day
    payroll = RecurringDeadline.objects.create(name="Testkjøring", day_of_month=run_day)
    tied = make_defect(reporter, title="Før lønnskjøringen")
    Defect.objects.filter(pk=tied.pk).update(recurring_deadline=payroll)
    for d in (soon, later, tied):
        defect_transition(defect=d, actor=manager, to_status="triaged")
    return {"soon": soon, "later": later, "tied": Defect.objects.get(pk=tied.pk)}


def test_before_next_meeting(world: dict[str, Defect]) -> None:
    ctx = deadline_context()
    assert before_next_meeting(world["soon"], ctx)
    assert before_next_meeting(world["tied"], ctx)
    assert not before_next_meeting(world["later"], ctx)


def test_queue_and_meeting_highlight(world: dict[str, Defect], manager: User) -> None:
    client = Client()
    client.force_login(manager)
    queue = client.get(reverse("issues:triage_queue")).content.decode()
    assert queue.count("før neste DFØ-møte") == 2
    agenda = client.get(reverse("issues:triage_meeting")).context["agenda"]
    assert {d.pk for d in agenda.deadline_soon} == {world["soon"].pk, world["tied"].pk}


def test_digest_lists_deadlines_before_the_meeting(world: dict[str, Defect]) -> None:
    now = timezone.now()
    data = collect_digest_data(period_start=now - dt.timedelta(days=7), period_end=now)
    assert {i.key for i in data.deadline_soon} == {world["soon"].key, world["tied"].key}
