"""The meeting view's open count, from the dashboard's aggregate when nothing narrows it,
against counting the defects (issue 17)."""

import random

import pytest
from django.http import QueryDict

from issues import workflow
from issues.models import Area, Defect, DefectStatus, User
from issues.selectors.meeting import meeting_agenda
from issues.services.defects import defect_transition
from tests.factories import make_defect

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("seed", [1, 2])
def test_open_count_is_the_number_of_open_defects(seed: int, reporter: User, manager: User) -> None:
    rnd = random.Random(seed)
    areas = list(Area.objects.filter(active=True)[:2])
    for i in range(25):
        d = make_defect(reporter, title=f"Sak {i}", confidential=rnd.random() < 0.3)
        Defect.objects.filter(pk=d.pk).update(
            status=rnd.choice(DefectStatus.values), area=rnd.choice(areas)
        )

    def expected(**narrow: object) -> int:
        return Defect.objects.filter(status__in=workflow.OPEN_STATUSES, **narrow).count()

    def shown(query: str = "") -> int:
        agenda = meeting_agenda(user=manager, filters=QueryDict(query))
        assert agenda is not None
        return agenda.open_count

    assert shown() == expected()
    assert shown(f"area={areas[0].pk}") == expected(area=areas[0])
    # A write through a service moves the count at once.
    target = make_defect(reporter)
    before = shown()
    assert before == expected()
    defect_transition(defect=target, actor=manager, to_status="rejected")
    assert shown() == expected() == before - 1
