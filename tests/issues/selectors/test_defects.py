import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from issues.models import Defect, User
from issues.selectors.defects import defect_list, known_defects
from issues.services.defects import defect_transition
from issues.services.participation import affects_us_add
from priorities.ranking import RankInput, rank_key
from tests.factories import make_defect, make_user

pytestmark = pytest.mark.django_db


def test_database_order_matches_the_pure_ranking(reporter: User, manager: User) -> None:
    specs = [
        {"facts": {"frustration": True}, "people_affected": 50, "extra_hours_per_week": 2},
        {"facts": {"blocks_pay": True}, "people_affected": 1, "extra_hours_per_week": 1},
        {"facts": {"extra_work_local": True}, "people_affected": 3, "extra_hours_per_week": 1},
        {"facts": {"extra_work_local": True}, "people_affected": 3, "extra_hours_per_week": 1,
         "deadline": dt.date(2030, 1, 1)},
        {"facts": {"extra_work_local": True}, "people_affected": 6, "extra_hours_per_week": 1},
        {"facts": {}, "people_affected": 1, "extra_hours_per_week": 0},
    ]  # fmt: skip
    for spec in specs:
        make_defect(reporter, **spec)
    # Another institution says "affects us too" on one tier-2 defect: it moves up among equals.
    equal = Defect.objects.filter(tier=2, weekly_cost=Decimal(3), deadline__isnull=True).get()
    affects_us_add(defect=equal, user=make_user("reporter", institution="UiT"))

    ranked = list(defect_list(user=manager))
    expected = sorted(
        ranked,
        key=lambda d: rank_key(
            RankInput(
                tier=d.tier,
                extra_hours_per_week=d.extra_hours_per_week,
                people_affected=d.people_affected,
                institutions_affected=d.institutions_affected,
                deadline=d.deadline,
                created=d.created_at,
            )
        ),
    )
    assert [d.pk for d in ranked] == [d.pk for d in expected]
    assert ranked[0].tier == 1
    assert ranked[1].pk == equal.pk or ranked[1].weekly_cost > equal.weekly_cost
    # Its twin (same cost, a deadline, one institution) ranks above it without that second
    # institution: reach comes before deadline.
    twin = Defect.objects.get(tier=2, weekly_cost=Decimal(3), deadline__isnull=False)
    order = [d.pk for d in ranked]
    assert order.index(equal.pk) == order.index(twin.pk) - 1


def test_filters_and_text_search(reporter: User, manager: User) -> None:
    a = make_defect(reporter, title="Fakturaer blir liggende", area_code="BTB")
    make_defect(reporter, title="Signering feiler", area_code="TOA")
    ids = [d.pk for d in defect_list(user=manager, filters={"q": "fakturaer"})]
    assert ids == [a.pk]
    ids = [d.pk for d in defect_list(user=manager, filters={"q": a.key})]
    assert ids == [a.pk]
    toa = defect_list(user=manager, filters={"area": [a.area_id]})
    assert [d.pk for d in toa] == [a.pk]


def test_invalid_filter_raises(manager: User) -> None:
    with pytest.raises(ValidationError):
        list(defect_list(user=manager, filters={"tier": ["7"]}))


def test_known_defects_leave_out_new_and_rejected(reporter: User, manager: User) -> None:
    new = make_defect(reporter)
    triaged = defect_transition(defect=make_defect(reporter), actor=manager, to_status="triaged")
    known = {d.pk for d in known_defects(user=reporter)}
    assert triaged.pk in known
    assert new.pk not in known


def test_institution_filter_includes_affects_us_too(reporter: User, manager: User) -> None:
    defect = make_defect(reporter)  # UiO
    uit = make_user("reporter", institution="UiT")
    affects_us_add(defect=defect, user=uit)
    result = defect_list(user=manager, filters={"institution": [uit.institution_id]})
    assert [d.pk for d in result] == [defect.pk]


def test_age_filter(reporter: User, manager: User) -> None:
    old = make_defect(reporter)
    Defect.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=90))
    make_defect(reporter)
    result = defect_list(user=manager, filters={"min_age_days": 30})
    assert [d.pk for d in result] == [old.pk]
