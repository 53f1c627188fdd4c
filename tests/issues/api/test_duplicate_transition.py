from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from issues.models import Defect, User
from tests.factories import make_defect

pytestmark = pytest.mark.django_db


def test_api_refuses_a_bare_duplicate_status(
    api_client_for: Callable[[User | None], APIClient], reporter: User, manager: User
) -> None:
    a, b = make_defect(reporter), make_defect(reporter)
    response = api_client_for(manager).post(
        f"/api/v1/defects/{b.pk}/transition/",
        {"to_status": "duplicate", "duplicate_of": a.pk},
        format="json",
        HTTP_IF_MATCH=f'"{b.pk}-{b.version}"',
    )
    assert response.status_code == 400
    assert Defect.objects.get(pk=b.pk).status == "new"
