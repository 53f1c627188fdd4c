"""The import's bulk create makes exactly what defect_create makes for the same input."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.forms.models import model_to_dict
from django.utils import timezone

from issues.models import Area, Category, Defect, Follow, Institution, StatusChange, System, User
from issues.services.defects import defect_create
from issues.services.imports import defects_create_bulk
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
