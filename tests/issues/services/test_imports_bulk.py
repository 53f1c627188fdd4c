"""The import's bulk create makes exactly what defect_create makes for the same input."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.forms.models import model_to_dict
from django.utils import timezone

from issues.errors import TransitionNotAllowed
from issues.models import Area, Category, Defect, Follow, Institution, StatusChange, System, User
from issues.selectors.imports import status_path
from issues.services.defects import defect_create, defect_transition
from issues.services.imports import defects_advance_bulk, defects_create_bulk
from tests.issues.pd_numbers import first_national_id

pytestmark = pytest.mark.django_db

VOLATILE = {"id", "created_at", "updated_at", "history_id", "history_date", "defect", "at"}


def _inputs() -> list[dict[str, Any]]:
    area = Area.objects.get(code="BTB")
    return [
        {
            "title": "  Faktura stopper  ",
            "area": area,
            "category": Category.objects.filter(area=area).first(),
            "system": System.objects.first(),
            "institution": Institution.objects.get(code="UiB"),
            "description": f"Gjelder {first_national_id('010190')}",
            "kind": "mangel",
            "facts": {"blocks_pay": True, "frustration": True},
            "extra_hours_per_week": Decimal("2.5"),
            "people_affected": 40,
            # Control characters, CR LF and a decomposed "é": the save's hygiene, which
            # bulk_create skips, is applied the same way.
            "workaround": "Manuell\x01 ordre\r\nkafe\u0301",
            "workaround_hours_per_week": Decimal(3),
            "deadline": timezone.localdate() + dt.timedelta(days=60),
            "confidential": True,
        },
        {"title": "Minimal", "area": area, "institution": Institution.objects.get(code="UiO")},
    ]


def _snapshot(defect: Defect) -> dict[str, Any]:
    fields = {k: v for k, v in model_to_dict(defect).items() if k not in VOLATILE}
    history = [{k: v for k, v in h.items() if k not in VOLATILE} for h in defect.history.values()]
    changes = [
        {k: v for k, v in c.items() if k not in VOLATILE and k != "defect_id"}
        for c in StatusChange.objects.filter(defect=defect).values()
    ]
    follows = list(Follow.objects.filter(defect=defect).values_list("user_id", flat=True))
    return {"fields": fields, "history": history, "changes": changes, "follows": follows}


def test_bulk_create_matches_defect_create(manager: User) -> None:
    singles = [defect_create(reporter=manager, **item) for item in _inputs()]
    bulk = defects_create_bulk(reporter=manager, items=_inputs())
    for one, many in zip(singles, bulk, strict=True):
        expected, got = _snapshot(one), _snapshot(Defect.objects.get(pk=many.pk))
        assert got == expected
        assert expected["history"]
        assert expected["changes"]
        assert expected["follows"] == [manager.pk]
    assert "*" * 11 in bulk[0].description
    assert Defect.objects.get(pk=bulk[0].pk).workaround == "Manuell ordre\nkafé"


# Set at the moment of each step: equal in kind (present or absent), not in value.
STEP_TIMES = {"triaged_at", "reported_to_dfo_at", "fixed_at", "closed_at"}


def _without_step_times(snapshot: dict[str, Any]) -> dict[str, Any]:
    def strip(row: dict[str, Any]) -> dict[str, Any]:
        return {k: (v is not None if k in STEP_TIMES else v) for k, v in row.items()}

    return {
        **snapshot,
        "fields": strip(snapshot["fields"]),
        "history": [strip(h) for h in snapshot["history"]],
    }


@pytest.mark.parametrize("target", ["new", "triaged", "reported_to_dfo", "closed", "rejected"])
def test_bulk_steps_match_defect_transition(manager: User, target: str) -> None:
    path = status_path(target)
    assert path is not None
    single = defect_create(reporter=manager, **_inputs()[0])
    for step in path:
        single = defect_transition(defect=single, actor=manager, to_status=step, note="Importert")
    bulk = defects_create_bulk(reporter=manager, items=_inputs()[:1])
    defects_advance_bulk(actor=manager, steps=[(bulk[0], path, "Importert")])
    expected = _snapshot(Defect.objects.get(pk=single.pk))
    got = _snapshot(Defect.objects.get(pk=bulk[0].pk))
    assert _without_step_times(got) == _without_step_times(expected)
    assert len(got["history"]) == len(got["changes"]) == 1 + len(path)
    assert got["fields"]["status"] == target


def test_bulk_steps_refuse_a_step_the_workflow_does_not_allow(manager: User) -> None:
    bulk = defects_create_bulk(reporter=manager, items=_inputs()[:1])
    with pytest.raises(TransitionNotAllowed):
        defects_advance_bulk(actor=manager, steps=[(bulk[0], ["fixed"], "")])
    assert Defect.objects.get(pk=bulk[0].pk).status == "new"
    assert StatusChange.objects.filter(defect=bulk[0]).count() == 1


def test_only_the_management_team_takes_bulk_steps(manager: User, reporter: User) -> None:
    bulk = defects_create_bulk(reporter=manager, items=_inputs()[:1])
    with pytest.raises(PermissionDenied):
        defects_advance_bulk(actor=reporter, steps=[(bulk[0], ["triaged"], "")])
