"""Oracle: a page of the queue read in three parts (issues/selectors/queue_order.py) is exactly
that page of the single sorted query, for every page, filter and mix of deadlines."""

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.http import QueryDict
from django.utils import timezone

from issues.models import Defect, RecurringDeadline, User
from issues.models.triage import untriaged_first
from issues.selectors.deadlines import deadline_context
from issues.selectors.defects import defect_list
from issues.selectors.queue_order import page_ids
from issues.selectors.triage import triage_page, triage_queryset
from tests.factories import make_defect

pytestmark = pytest.mark.django_db

FILTERS = ["", "status=triaged", "status=new", "tier=1", "status=new&status=reopened", "q=Sak"]


def _world(seed: int, reporter: User, n: int = 60) -> None:
    rnd = random.Random(seed)
    today = timezone.localdate()
    runs = [
        RecurringDeadline.objects.create(name=f"Kjøring {i}", day_of_month=rnd.randint(1, 31))
        for i in range(2)
    ]
    stopped = RecurringDeadline.objects.create(name="Nedlagt", day_of_month=today.day, active=False)
    start = timezone.now() - dt.timedelta(days=400)
    for i in range(n):
        defect = make_defect(reporter, title=f"Sak {i}")
        hours = rnd.choice([0, 1, 2])
        Defect.objects.filter(pk=defect.pk).update(
            tier=rnd.choice([1, 2, 3]),
            # Ties in cost and institutions make the deadline and age decide.
            weekly_cost=Decimal(hours * rnd.choice([1, 3])),
            institutions_affected=rnd.choice([1, 2]),
            deadline=rnd.choice(
                [None, today + dt.timedelta(days=rnd.randint(-30, 40)), today, today]
            ),
            recurring_deadline=rnd.choice([None, None, None, *runs, stopped]),
            status=rnd.choice(["new", "reopened", "triaged", "reported_to_dfo", "closed"]),
            # Some share a creation time: the id breaks the tie.
            created_at=start + dt.timedelta(hours=rnd.randint(0, 40)),
        )


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_every_page_is_the_sorted_querys_page(seed: int, reporter: User, manager: User) -> None:
    _world(seed, reporter)
    ctx = deadline_context()
    for query in FILTERS:
        filters = QueryDict(query)
        expected = list(
            triage_queryset(user=manager, filters=filters, deadlines=ctx).values_list(
                "pk", flat=True
            )
        )
        assert expected, query
        for size in (25, 50):
            shown: list[int] = []
            number = 1
            while True:
                page = triage_page(
                    user=manager, filters=filters, page=number, size=size, deadlines=ctx
                )
                shown += [d.pk for d in page.rows]
                if not page.has_next:
                    break
                number += 1
            assert shown == expected, (query, size)


@pytest.mark.parametrize("seed", [5, 6])
def test_small_pages_cut_each_part_in_its_order(seed: int, reporter: User, manager: User) -> None:
    """Pages smaller than each part, so a part read in a wrong order shows on some page."""
    _world(seed, reporter, n=120)
    ctx = deadline_context()
    for query, untriaged in (("", True), ("status=triaged", False), ("tier=2", True)):
        filters = QueryDict(query)
        expected = list(
            triage_queryset(user=manager, filters=filters, deadlines=ctx).values_list(
                "pk", flat=True
            )
        )
        qs = defect_list(user=manager, filters=filters)
        if untriaged:
            qs = qs.alias(_untriaged=untriaged_first())
        for limit in (1, 3, 7):
            for offset in range(0, len(expected) + limit, limit):
                got = page_ids(qs, ctx, untriaged_first=untriaged, offset=offset, limit=limit)
                assert got == expected[offset : offset + limit], (query, limit, offset)


def test_a_reporter_gets_an_empty_page(reporter: User) -> None:
    make_defect(reporter)
    page = triage_page(user=reporter)
    assert page.rows == []
    assert not page.has_next
    assert page.hits is not None
    assert page.hits.value == 0
