"""Issue 16: bad input that answered 500 answers a clear 4xx in the user's language."""

import base64
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from issues.models import Area, User
from issues.services.api_tokens import api_token_create
from tests.factories import make_defect


def _client(user: User) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        lambda d: reverse("issues:report_suggestions") + "?title=L%C3%B8nn%00",
        lambda d: reverse("issues:triage_owner_search") + "?q=a%00b",
        lambda d: reverse("issues:triage_merge", args=[d.pk]) + "?q=a%00b",
        lambda d: reverse("issues:triage_queue") + "?q=a%00b",
    ],
)
def test_a_nul_in_a_search_is_a_400_in_the_users_language(
    manager: User, reporter: User, url: Callable[..., str]
) -> None:
    defect = make_defect(reporter)
    response = _client(manager).get(url(defect), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert b"null character" in response.content


@pytest.mark.django_db
def test_a_nul_in_the_report_forms_title_is_a_400(reporter: User) -> None:
    area = Area.objects.get(code="BTB")
    response = _client(reporter).post(
        reverse("issues:report_new"), {"title": "Faktura\x00 stopper", "area": area.pk}
    )
    assert response.status_code == 400
    assert b"null-tegn" in response.content


@pytest.mark.django_db
def test_a_non_numeric_area_on_the_category_endpoint_is_a_400(reporter: User) -> None:
    response = _client(reporter).get(reverse("issues:report_categories") + "?area=abc")
    assert response.status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("raw", [b"p=abc", b"p=\x00&r=1", b"o=1&p=2026-99-99"])
def test_a_crafted_cursor_is_a_4xx(manager: User, reporter: User, raw: bytes) -> None:
    make_defect(reporter)
    token = api_token_create(user=manager, name="t")[1]
    cursor = base64.b64encode(raw).decode()
    response = Client(raise_request_exception=False).get(
        f"/api/v1/defects/?cursor={cursor}", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.django_db
def test_deeply_nested_json_is_a_400(reporter: User) -> None:
    token = api_token_create(user=reporter, name="t")[1]
    response = Client(raise_request_exception=False).post(
        "/api/v1/defects/",
        "[" * 5000 + "]" * 5000,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "nested" in response.json()["detail"]


@pytest.mark.django_db
def test_a_huge_json_body_is_a_400(reporter: User) -> None:
    token = api_token_create(user=reporter, name="t")[1]
    body = '{"title": "Faktura stopper", "description": "' + "x" * (13 * 1024 * 1024) + '"}'
    response = Client(raise_request_exception=False).post(
        "/api/v1/defects/",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 400
