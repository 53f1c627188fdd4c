"""The API follows the pages' rules: visibility, writable fields, ETags, JSON errors, tokens."""

import uuid
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django import Settings
from rest_framework.test import APIClient

from issues.models import ApiToken, Area, Defect, User
from issues.models.api_tokens import hash_token
from issues.services.defects import REPORTER_FIELDS
from tests.factories import make_defect

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User | None], APIClient]


def test_list_filters_and_hides_confidential(
    api_client_for: ClientFor, reporter: User, other_reporter: User
) -> None:
    mine = make_defect(reporter, title="Lønn feil hos oss", confidential=True)
    public = make_defect(other_reporter, title="Faktura stopper")
    other_secret = make_defect(other_reporter, confidential=True, title="Hemmelig")
    client = api_client_for(reporter)
    response = client.get("/api/v1/defects/")
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    assert ids == {mine.pk, public.pk}
    assert client.get(f"/api/v1/defects/{other_secret.pk}/").status_code == 404
    assert client.get(f"/api/v1/defects/{other_secret.pk}/comments/").status_code == 404
    filtered = client.get("/api/v1/defects/", {"q": "faktura", "status": "new"}).json()
    assert [row["id"] for row in filtered["results"]] == [public.pk]


def test_bad_filter_and_ordering_are_400_json(api_client_for: ClientFor, reporter: User) -> None:
    client = api_client_for(reporter)
    response = client.get("/api/v1/defects/", {"ordering": "title"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert "ordering" in body["errors"]
    assert client.get("/api/v1/defects/", {"area": "999999"}).status_code == 400


def test_create_and_etag_and_if_match(api_client_for: ClientFor, reporter: User) -> None:
    client = api_client_for(reporter)
    area = Area.objects.get(code="BTB")
    response = client.post(
        "/api/v1/defects/",
        {"title": "Faktura 12345678903 henger", "area": area.pk, "blocks_pay": True},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["tier"] == 1
    assert body["status"] == "new"
    url = f"/api/v1/defects/{body['id']}/"
    got = client.get(url)
    etag = got["ETag"]
    assert etag == f'"{body["id"]}-1"'
    assert client.patch(url, {"title": "Ny tittel"}, format="json").status_code == 428
    # Present but not one of our ETags (an empty header, or * which would match any version).
    for sent in ("", " ", "*", "W/"):
        refused = client.patch(url, {"title": "Ny"}, format="json", HTTP_IF_MATCH=sent)
        assert refused.status_code == 400, sent
        assert "If-Match" in refused.json()["errors"], sent
    assert (
        client.patch(url, {"title": "Ny"}, format="json", HTTP_IF_MATCH='"1-99"').status_code == 412
    )
    ok = client.patch(url, {"title": "Ny tittel"}, format="json", HTTP_IF_MATCH=etag)
    assert ok.status_code == 200
    assert ok["ETag"] == f'"{body["id"]}-2"'
    stale = client.patch(url, {"title": "Igjen"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert stale.json()["code"] == "precondition_failed"


@pytest.mark.parametrize(
    ("field", "value", "status"),
    [
        ("status", "closed", 400),
        ("tier", 1, 400),
        ("tier_override", 1, 400),
        ("reporter", 1, 400),
        ("version", 9, 400),
        ("no_such_field", "x", 400),
        ("dfo_reference", "DFØ-1", 403),
        ("institution", 1, 403),
    ],
)
def test_reporter_cannot_set_protected_fields(
    api_client_for: ClientFor, reporter: User, field: str, value: object, status: int
) -> None:
    defect = make_defect(reporter)
    client = api_client_for(reporter)
    response = client.patch(
        f"/api/v1/defects/{defect.pk}/",
        {field: value},
        format="json",
        HTTP_IF_MATCH=f'"{defect.pk}-{defect.version}"',
    )
    assert response.status_code == status, response.json()
    assert Defect.objects.get(pk=defect.pk).version == defect.version


def test_errors_follow_accept_language(api_client_for: ClientFor, reporter: User) -> None:
    client = APIClient()
    nb = client.get("/api/v1/defects/", HTTP_ACCEPT_LANGUAGE="nb")
    en = client.get("/api/v1/defects/", HTTP_ACCEPT_LANGUAGE="en")
    assert nb.status_code == en.status_code == 401
    assert nb["WWW-Authenticate"] == "Bearer"
    assert en.json()["detail"] == "Authentication credentials were not provided."
    assert nb.json()["detail"] != en.json()["detail"]


def test_token_is_hashed_shown_once_and_revocable(client: Client, reporter: User) -> None:
    client.force_login(reporter)
    page = client.post("/api-tokens/", {"name": "Mitt skript"})
    assert page.status_code == 200
    raw = page.context["new_token"]
    assert raw.startswith("bott_")
    assert raw in page.content.decode()
    token = ApiToken.objects.get(user=reporter)
    assert token.token_hash == hash_token(raw)
    assert raw not in token.token_hash
    assert all(raw not in str(getattr(token, f.attname)) for f in ApiToken._meta.concrete_fields)
    # Shown once: the list page never shows it again.
    listing = client.get("/api-tokens/")
    assert listing.status_code == 200
    assert "Mitt skript" in listing.content.decode()  # the list, with this token on it
    assert raw not in listing.content.decode()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get("/api/v1/defects/").status_code == 200
    token.refresh_from_db()
    assert token.last_used is not None
    assert client.post(f"/api-tokens/{token.pk}/revoke/").status_code == 302
    response = api.get("/api/v1/defects/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_cannot_revoke_someone_elses_token(
    client: Client, reporter: User, other_reporter: User
) -> None:
    from issues.services.api_tokens import api_token_create

    token, _raw = api_token_create(user=other_reporter, name="x")
    client.force_login(reporter)
    assert client.post(f"/api-tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked is None


def test_token_page_needs_csrf(reporter: User) -> None:
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(reporter)
    assert csrf_client.post("/api-tokens/", {"name": "x"}).status_code == 403
    assert not ApiToken.objects.exists()


def test_throttled_token_gets_429_json(
    api_client_for: ClientFor, reporter: User, settings: Settings
) -> None:
    # Counting from zero under a key prefix of its own: an earlier test's user may have had the
    # same id, and clearing the cache would flush the Redis database other test processes use.
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "KEY_PREFIX": f"throttle-{uuid.uuid4().hex}"}
    }
    settings.API_TOKEN_THROTTLE_RATE = "2/min"
    client = api_client_for(reporter)
    assert client.get("/api/v1/areas/").status_code == 200
    assert client.get("/api/v1/areas/").status_code == 200
    response = client.get("/api/v1/areas/")
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert "Retry-After" in response


def test_list_queries_do_not_grow_with_page_size(api_client_for: ClientFor, reporter: User) -> None:
    for n in range(30):
        make_defect(reporter, title=f"Sak {n}")
    client = api_client_for(reporter)
    client.get("/api/v1/defects/?page_size=1")  # token last_used is written on first use

    counts = []
    for size in (1, 10, 30):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"/api/v1/defects/?page_size={size}&status=new&area=1")
        assert response.status_code == 200
        assert len(response.json()["results"]) == size
        counts.append(len(ctx.captured_queries))
    assert len(set(counts)) == 1, counts
    assert counts[0] <= 5, counts


def test_put_needs_every_descriptive_field_and_if_match(
    api_client_for: ClientFor, reporter: User
) -> None:
    defect = make_defect(reporter, title="Gammel")
    client = api_client_for(reporter)
    url = f"/api/v1/defects/{defect.pk}/"
    etag = client.get(url)["ETag"]
    partial = client.put(url, {"title": "Ny"}, format="json", HTTP_IF_MATCH=etag)
    assert partial.status_code == 400
    assert "area" in partial.json()["errors"]
    full = {key: value for key, value in client.get(url).json().items() if key in REPORTER_FIELDS}
    full["title"] = "Ny tittel"
    assert client.put(url, full, format="json").status_code == 428
    response = client.put(url, full, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.json()
    assert response.json()["title"] == "Ny tittel"
    assert response["ETag"] == f'"{defect.pk}-2"'
