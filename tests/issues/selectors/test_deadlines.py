"""Deadlines before the next DFØ meeting are highlighted in the queue, meeting view and digest."""

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from issues.models import Defect, Meeting, RecurringDeadline, User
from issues.selectors.deadlines import before_next_meeting, deadline_context, rank_input
from issues.selectors.digests import collect_digest_data
from issues.selectors.triage import triage_queryset
from issues.services.defects import defect_transition
from issues.workflow import UNTRIAGED_STATUSES
from priorities.ranking import deadline_rank_key
from priorities.workdays import norwegian_calendar
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


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_queue_order_is_the_pure_deadline_ranking(seed: int, reporter: User, manager: User) -> None:
    """Oracle: the queue's SQL order equals sorting the same rows with ``deadline_rank_key``,
    both unfiltered (untriaged first) and for one status."""
    rnd = random.Random(seed)
    today = timezone.localdate()
    runs = [
        RecurringDeadline.objects.create(name=f"Kjøring {day}", day_of_month=day)
        for day in (rnd.randint(1, 31), rnd.randint(1, 31))
    ]
    RecurringDeadline.objects.create(name="Nedlagt", day_of_month=today.day, active=False)
    recurring = [*runs, RecurringDeadline.objects.get(name="Nedlagt"), None]
    start = timezone.now() - dt.timedelta(days=400)
    for i in range(40):
        defect = make_defect(reporter, title=f"Sak {i}")
        hours, people = rnd.choice([0, 1, 2]), rnd.choice([1, 3])
        Defect.objects.filter(pk=defect.pk).update(
            tier=rnd.choice([1, 2, 3]),
            extra_hours_per_week=Decimal(hours),
            people_affected=people,
            weekly_cost=Decimal(hours * people),
            institutions_affected=rnd.choice([1, 2]),
            deadline=rnd.choice([None, None, today + dt.timedelta(days=rnd.randint(-20, 60))]),
            recurring_deadline=rnd.choice(recurring),
            status=rnd.choice(["new", "triaged", "reported_to_dfo"]),
            created_at=start + dt.timedelta(hours=rnd.randint(0, 9000), seconds=i),
        )
    ctx = deadline_context()
    calendar = norwegian_calendar()

    def key(d: Defect) -> tuple[object, ...]:
        return deadline_rank_key(rank_input(d, ctx), today=today, calendar=calendar)

    everything = list(triage_queryset(user=manager))
    expected = sorted(everything, key=lambda d: (d.status not in UNTRIAGED_STATUSES, *key(d)))
    assert [d.pk for d in everything] == [d.pk for d in expected]
    one_status = list(triage_queryset(user=manager, filters=QueryDict("status=triaged")))
    assert one_status
    assert [d.pk for d in one_status] == [d.pk for d in sorted(one_status, key=key)]
