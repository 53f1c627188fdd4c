"""Actions, comments and attachments through the API, with the same checks as the pages."""

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import TestCase
from pytest_django import Settings
from rest_framework.test import APIClient

from issues.models import Attachment, Comment, Defect, User
from tests.factories import make_defect, make_user

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User | None], APIClient]

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40


@pytest.fixture(autouse=True)
def _media(settings: Settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def _etag(defect: Defect) -> str:
    defect.refresh_from_db()
    return f'"{defect.pk}-{defect.version}"'


def test_transition_by_role(api_client_for: ClientFor, reporter: User, manager: User) -> None:
    defect = make_defect(reporter)
    url = f"/api/v1/defects/{defect.pk}/transition/"
    refused = api_client_for(reporter).post(url, {"to_status": "triaged"}, format="json")
    assert refused.status_code == 409
    assert refused.json()["code"] == "transition_not_allowed"
    ok = api_client_for(manager).post(
        url, {"to_status": "triaged"}, format="json", HTTP_IF_MATCH=_etag(defect)
    )
    assert ok.status_code == 200
    assert ok.json()["status"] == "triaged"
    stale = api_client_for(manager).post(
        url, {"to_status": "closed"}, format="json", HTTP_IF_MATCH=f'"{defect.pk}-1"'
    )
    assert stale.status_code == 412


def test_tier_override_needs_management_and_reason(
    api_client_for: ClientFor, reporter: User, manager: User
) -> None:
    defect = make_defect(reporter)
    url = f"/api/v1/defects/{defect.pk}/tier-override/"
    body = {"tier": 1, "reason": "Stopper lønnskjøring i mai"}
    assert api_client_for(reporter).post(url, body, format="json").status_code == 403
    assert (
        api_client_for(manager).post(url, {"tier": 1, "reason": " "}, format="json").status_code
        == 400
    )
    ok = api_client_for(manager).post(url, body, format="json")
    assert ok.status_code == 200
    assert ok.json()["tier"] == 1
    assert ok.json()["tier_override"] == 1


def test_merge_moves_people_and_comments(
    api_client_for: ClientFor, reporter: User, other_reporter: User, manager: User
) -> None:
    canonical = make_defect(reporter, title="Faktura låst")
    duplicate = make_defect(other_reporter, title="Faktura låses")
    api_client_for(other_reporter).post(
        f"/api/v1/defects/{duplicate.pk}/comments/", {"body": "Også her"}, format="json"
    )
    url = f"/api/v1/defects/{duplicate.pk}/merge/"
    assert (
        api_client_for(reporter).post(url, {"into": canonical.pk}, format="json").status_code == 403
    )
    response = api_client_for(manager).post(url, {"into": canonical.pk}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["id"] == canonical.pk
    duplicate.refresh_from_db()
    assert duplicate.status == "duplicate"
    assert duplicate.duplicate_of_id == canonical.pk
    assert Comment.objects.get(body="Også her").defect_id == canonical.pk
    assert canonical.follows.filter(user=other_reporter).exists()
    same = api_client_for(manager).post(
        f"/api/v1/defects/{canonical.pk}/merge/", {"into": canonical.pk}, format="json"
    )
    assert same.status_code in (400, 409)


def test_affects_us_and_follow(
    api_client_for: ClientFor, reporter: User, other_reporter: User
) -> None:
    defect = make_defect(reporter)
    client = api_client_for(other_reporter)
    assert client.post(f"/api/v1/defects/{defect.pk}/affects-us/").json() == {"active": True}
    defect.refresh_from_db()
    assert defect.institutions_affected == 2
    assert defect.affects_count == 1
    assert client.delete(f"/api/v1/defects/{defect.pk}/affects-us/").json() == {"active": False}
    assert client.delete(f"/api/v1/defects/{defect.pk}/follow/").json() == {"active": False}
    assert not defect.follows.filter(user=other_reporter).exists()
    assert client.post(f"/api/v1/defects/{defect.pk}/follow/").json() == {"active": True}


def test_internal_comments_only_for_management_and_liaison(
    api_client_for: ClientFor, reporter: User, liaison: User
) -> None:
    defect = make_defect(reporter)
    url = f"/api/v1/defects/{defect.pk}/comments/"
    assert (
        api_client_for(reporter)
        .post(url, {"body": "x", "internal": True}, format="json")
        .status_code
        == 403
    )
    assert (
        api_client_for(liaison)
        .post(url, {"body": "Intern merknad", "internal": True}, format="json")
        .status_code
        == 201
    )
    assert (
        api_client_for(reporter)
        .post(url, {"body": "Fnr 01010112345 her"}, format="json")
        .status_code
        == 201
    )
    seen_by_reporter = [c["body"] for c in api_client_for(reporter).get(url).json()["results"]]
    assert "Intern merknad" not in seen_by_reporter
    assert len(seen_by_reporter) == 1
    assert len(api_client_for(liaison).get(url).json()["results"]) == 2


@pytest.mark.parametrize(
    ("name", "content", "ok"),
    [
        ("skjerm.png", PNG, True),
        ("logg.txt", b"Feil ved innlogging\n", True),
        ("liste.csv", b"a;b\n1;2\n", True),
        ("bilde.svg", b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", False),
        ("side.txt", b"<!DOCTYPE html><html><script>alert(1)</script></html>", False),
        ("falsk.pdf", PNG, False),
        ("tom.txt", b"", False),
        ("program.exe", b"MZ\x90\x00", False),
    ],
)
def test_upload_checks_content(
    api_client_for: ClientFor, reporter: User, name: str, content: bytes, ok: bool
) -> None:
    defect = make_defect(reporter)
    upload = io.BytesIO(content)
    upload.name = name
    response = api_client_for(reporter).post(
        f"/api/v1/defects/{defect.pk}/attachments/", {"file": upload}, format="multipart"
    )
    assert response.status_code == (201 if ok else 400), response.json()
    assert Attachment.objects.exists() is ok


def test_upload_limit_and_download_headers(
    api_client_for: ClientFor, reporter: User, other_reporter: User, settings: Settings
) -> None:
    defect = make_defect(reporter, confidential=True)
    client = api_client_for(reporter)
    big = io.BytesIO(b"a" * (10 * 1024 * 1024 + 1))
    big.name = "stor.txt"
    assert (
        client.post(
            f"/api/v1/defects/{defect.pk}/attachments/", {"file": big}, format="multipart"
        ).status_code
        == 400
    )
    upload = io.BytesIO(PNG)
    upload.name = "skjerm.png"
    # The file moves into place when the upload commits (issue 16).
    with TestCase.captureOnCommitCallbacks(execute=True):
        created = client.post(
            f"/api/v1/defects/{defect.pk}/attachments/", {"file": upload}, format="multipart"
        ).json()
    response = client.get(created["download_url"])
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.getvalue() == PNG
    assert api_client_for(other_reporter).get(created["download_url"]).status_code == 404
    outsider = make_user("reporter", institution="UiT")
    assert (
        api_client_for(outsider).get(f"/api/v1/defects/{defect.pk}/attachments/").status_code == 404
    )
