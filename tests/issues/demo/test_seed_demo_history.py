"""A demo defect's status history ends in its status, however many loads ran before it."""

import pytest
from django.core.management import call_command

from issues.models import Defect, StatusChange

pytestmark = pytest.mark.django_db


def _last_steps() -> dict[int, str]:
    last: dict[int, str] = {}
    for defect_id, to_status in StatusChange.objects.order_by("defect_id", "at", "id").values_list(
        "defect_id", "to_status"
    ):
        last[defect_id] = to_status
    return last


def test_duplicates_keep_a_duplicate_history_after_a_first_load() -> None:
    # The first load has no earlier defects, so its duplicates are rejected instead; the second
    # load's duplicates point at those and must still end their history as duplicates.
    call_command("seed_demo", defects=120, seed=7)
    call_command("seed_demo", defects=120, seed=8)
    last = _last_steps()
    statuses = dict(Defect.objects.values_list("pk", "status"))
    assert "duplicate" in statuses.values()
    assert {pk: last[pk] for pk in statuses} == statuses
