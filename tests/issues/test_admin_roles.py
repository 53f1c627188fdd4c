"""The liaison keeps DFØ's status words in the admin without being staff, and sees nothing else."""

import pytest
from django.test import Client

from issues.models import DfoStatusWord, User
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("group", ["liaison", "management"])
def test_liaison_and_management_keep_status_words(group: str) -> None:
    user = make_user(group)
    assert not user.is_staff
    client = _client(user)
    index = client.get("/admin/")
    assert index.status_code == 200
    assert b"/admin/issues/dfostatusword/" in index.content
    # Nothing else of the admin is listed or reachable for them.
    assert b"/admin/issues/defect/" not in index.content
    assert b"/admin/issues/user/" not in index.content
    assert client.get("/admin/issues/defect/").status_code == 403
    assert client.get("/admin/issues/importbatch/").status_code == 403

    response = client.post(
        "/admin/issues/dfostatusword/add/", {"word": "Under arbeid hos DFØ", "status": "triaged"}
    )
    assert response.status_code == 302, response.content[:2000]
    # Words are kept in lower case: DFØ's sheets are matched without regard to case.
    assert DfoStatusWord.objects.filter(word="under arbeid hos dfø", status="triaged").exists()


def test_reporter_is_sent_to_the_admin_login() -> None:
    client = _client(make_user("reporter"))
    response = client.get("/admin/issues/dfostatusword/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert client.post("/admin/issues/dfostatusword/add/", {"word": "x"}).status_code == 302
    assert not DfoStatusWord.objects.filter(word="x").exists()
