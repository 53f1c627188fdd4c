"""The dashboard's charts add up to the open defects they chart."""

import pytest

from issues.models import Defect, User
from issues.selectors.dashboard import dashboard
from issues.services.defects import defect_transition
from issues.workflow import OPEN_STATUSES
from tests.factories import make_defect

pytestmark = pytest.mark.django_db


def test_area_tier_and_age_charts_count_every_open_defect(reporter: User, manager: User) -> None:
    # Same area and tier, three open statuses: one group per status in the dashboard's query.
    make_defect(reporter, facts={"blocks_pay": True})
    triaged = make_defect(reporter, facts={"blocks_pay": True})
    defect_transition(defect=triaged, actor=manager, to_status="triaged")
    for _ in range(2):
        reported = make_defect(reporter, facts={"blocks_pay": True})
        reported = defect_transition(defect=reported, actor=manager, to_status="triaged")
        defect_transition(defect=reported, actor=manager, to_status="reported_to_dfo")
    make_defect(reporter, area_code="TOA")

    data = dashboard(user=manager)

    open_count = Defect.objects.filter(status__in=OPEN_STATUSES).count()
    assert open_count == 5
    by_area = {r["area"]: r["tier1"] + r["tier2"] + r["tier3"] for r in data["by_area_tier"]}
    assert by_area == {"BTB": 4, "TOA": 1}
    assert next(r for r in data["by_area_tier"] if r["area"] == "BTB")["tier1"] == 4
    assert sum(r["count"] for r in data["age"]) == open_count
