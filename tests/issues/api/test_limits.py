"""The API keeps numbers within the vocabulary's limits: a week has 168 hours."""

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from issues.models import User
from issues.vocabulary import HOURS_IN_A_WEEK
from tests.factories import make_defect

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User | None], APIClient]
TOO_MANY_HOURS = HOURS_IN_A_WEEK + 1


def test_api_refuses_more_workaround_hours_than_a_week_has(
    api_client_for: ClientFor, reporter: User
) -> None:
    client = api_client_for(reporter)
    defect = make_defect(reporter)
    created = client.post(
        "/api/v1/defects/",
        {
            "title": "Faktura henger",
            "area": defect.area_id,
            "workaround": "Manuelt",
            "workaround_hours_per_week": TOO_MANY_HOURS,
        },
        format="json",
    )
    assert created.status_code == 400
    assert "workaround_hours_per_week" in created.json()["errors"]
    patched = client.patch(
        f"/api/v1/defects/{defect.pk}/",
        {"workaround_hours_per_week": TOO_MANY_HOURS},
        format="json",
        HTTP_IF_MATCH=f'"{defect.pk}-1"',
    )
    assert patched.status_code == 400
    assert "workaround_hours_per_week" in patched.json()["errors"]
    ok = client.patch(
        f"/api/v1/defects/{defect.pk}/",
        {"workaround_hours_per_week": HOURS_IN_A_WEEK},
        format="json",
        HTTP_IF_MATCH=f'"{defect.pk}-1"',
    )
    assert ok.status_code == 200
