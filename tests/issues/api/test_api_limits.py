"""Issue 16: the API refuses what the report form refuses (the limits are checked in the service
both share)."""

import datetime as dt
from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from issues.models import Area, Defect, User
from tests.factories import make_defect


def _payload(**extra: object) -> dict[str, object]:
    return {"title": "Faktura stopper", "area": Area.objects.get(code="BTB").pk, **extra}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"title": "Feil"}, "title"),
        ({"description": "x" * 20_001}, "description"),
        ({"workaround": "x" * 10_001}, "workaround"),
        ({"deadline": "0001-01-01"}, "deadline"),
    ],
)
def test_create_refuses_what_the_form_refuses(
    reporter: User,
    api_client_for: Callable[[User | None], APIClient],
    extra: dict[str, object],
    field: str,
) -> None:
    response = api_client_for(reporter).post("/api/v1/defects/", _payload(**extra), format="json")
    assert response.status_code == 400, response.content[:300]
    assert field in response.json()["errors"]
    assert not Defect.objects.exists()


@pytest.mark.django_db
def test_update_refuses_a_past_deadline_but_keeps_an_old_one(
    reporter: User, api_client_for: Callable[[User | None], APIClient]
) -> None:
    defect = make_defect(reporter)
    Defect.objects.filter(pk=defect.pk).update(deadline=dt.date(2020, 1, 1))
    client = api_client_for(reporter)
    url = f"/api/v1/defects/{defect.pk}/"
    etag = client.get(url)["ETag"]
    response = client.patch(url, {"deadline": "0001-01-01"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 400
    response = client.patch(
        url, {"title": "Faktura stopper igjen"}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200, response.content[:300]
