"""The meeting agenda's and the digest's deadline lists are the first rows of the whole ranking,
not a ranking of whichever rows came first (issue 17: more matches than the list shows)."""

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.utils import timezone

from issues import workflow
from issues.models import Defect, Meeting, User
from issues.selectors import meeting as meeting_selectors
from issues.selectors.deadlines import before_next_meeting, deadline_context, rank_input
from issues.selectors.digests import collect_digest_data
from issues.selectors.meeting import meeting_agenda
from priorities.ranking import deadline_rank_key
from tests.factories import make_defect

pytestmark = pytest.mark.django_db


def test_lists_are_the_top_of_the_whole_ranking(
    reporter: User, manager: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(meeting_selectors, "SECTION_LIMIT", 7)
    rnd = random.Random(3)
    today = timezone.localdate()
    Meeting.objects.create(kind="driftsmote", starts_at=timezone.now() + dt.timedelta(days=10))
    for i in range(30):
        d = make_defect(reporter, title=f"Sak {i}")
        hours = rnd.choice([0, 1, 2, 4])
        Defect.objects.filter(pk=d.pk).update(
            tier=rnd.choice([1, 1, 2]),
            status=rnd.choice(["new", "triaged", "reported_to_dfo", "closed"]),
            weekly_cost=Decimal(hours),
            extra_hours_per_week=Decimal(hours),
            people_affected=1,
            deadline=rnd.choice([None, today + dt.timedelta(days=rnd.randint(-20, 9))]),
            created_at=timezone.now() - dt.timedelta(days=rnd.randint(0, 300)),
        )
    ctx = deadline_context()
    calendar = ctx.calendar

    def ranked(rows: list[Defect], limit: int) -> list[int]:
        def key(d: Defect) -> tuple[object, ...]:
            return (*deadline_rank_key(rank_input(d, ctx), today=today, calendar=calendar), d.pk)

        return [d.pk for d in sorted(rows, key=key)[:limit]]

    open_rows = list(Defect.objects.filter(status__in=workflow.OPEN_STATUSES))
    agenda = meeting_agenda(user=manager)
    assert agenda is not None
    tier1 = [d for d in open_rows if d.tier == 1]
    soon = [d for d in open_rows if before_next_meeting(d, ctx)]
    assert len(tier1) > 7
    assert len(soon) > 7
    assert [d.pk for d in agenda.tier1] == ranked(tier1, 7)
    assert [d.pk for d in agenda.deadline_soon] == ranked(soon, 7)
    now = timezone.now()
    digest = collect_digest_data(period_start=now - dt.timedelta(days=7), period_end=now)
    assert [i.key for i in digest.deadline_soon] == [Defect(pk=pk).key for pk in ranked(soon, 100)]
