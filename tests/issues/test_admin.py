"""The admin is no back door: defects are written through the services, the rest is read-only."""

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings as SettingsWrapper

from issues.models import (
    AffectsUs,
    Area,
    Attachment,
    Category,
    Comment,
    Defect,
    Follow,
    StatusChange,
    User,
)
from issues.services.attachments import attachment_add
from issues.services.comments import comment_create
from issues.services.participation import affects_us_add
from tests.factories import make_defect, make_user
from tests.issues import files

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_for_superuser() -> tuple[Client, User]:
    user = make_user(None, is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(user)
    return client, user


def _change_data(client: Client, defect: Defect, **changes: Any) -> dict[str, Any]:
    """What the change form posts when the user only edits ``changes``."""
    url = reverse("admin:issues_defect_change", args=[defect.pk])
    form = client.get(url).context["adminform"].form
    values = {name: form[name].value() for name in form.fields}
    # An unticked checkbox is absent from a POST; a zero is not.
    data = {name: v for name, v in values.items() if v is not None and v is not False}
    for prefix in ("status_changes", "comments"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    return {**data, **changes}


def test_creating_a_defect_writes_its_status_change_and_follow(
    admin_client_for_superuser: tuple[Client, User],
) -> None:
    client, admin_user = admin_client_for_superuser
    area = Area.objects.get(code="BTB")
    response = client.post(
        reverse("admin:issues_defect_add"),
        {
            "title": "Faktura 12345678903 stopper",
            "kind": "feil",
            "area": area.pk,
            "category": Category.objects.filter(area=area).first().pk,  # type: ignore[union-attr]
            "institution": admin_user.institution_id,
            "extra_hours_per_week": "2",
            "people_affected": "3",
            "blocks_pay": "on",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    defect = Defect.objects.get()
    assert defect.reporter == admin_user
    assert defect.tier == 1
    assert defect.weekly_cost == 6
    assert "12345678903" not in defect.title
    change = StatusChange.objects.get(defect=defect)
    assert (change.from_status, change.to_status, change.actor) == ("", "new", admin_user)
    assert Follow.objects.filter(defect=defect, user=admin_user).exists()


def test_a_changed_fact_recomputes_the_tier(
    admin_client_for_superuser: tuple[Client, User], reporter: User
) -> None:
    client, admin_user = admin_client_for_superuser
    defect = make_defect(reporter)
    assert defect.tier == 3
    url = reverse("admin:issues_defect_change", args=[defect.pk])
    response = client.post(url, _change_data(client, defect, blocks_pay="on"))
    assert response.status_code == 302
    saved = Defect.objects.get(pk=defect.pk)
    assert (saved.tier, saved.rule_tier, saved.version) == (1, 1, 2)
    assert saved.history.first().history_user == admin_user


def test_the_admin_offers_only_the_vocabulary_and_checks_consistency(
    admin_client_for_superuser: tuple[Client, User], reporter: User
) -> None:
    client, _admin = admin_client_for_superuser
    defect = make_defect(reporter)
    form = (
        client.get(reverse("admin:issues_defect_change", args=[defect.pk]))
        .context["adminform"]
        .form
    )
    assert "status" not in form.fields
    assert "reporter" not in form.fields
    assert "unit" in form.fields
    other = Category.objects.exclude(area=defect.area).first()
    assert other is not None
    url = reverse("admin:issues_defect_change", args=[defect.pk])
    response = client.post(url, _change_data(client, defect, category=other.pk))
    assert response.status_code == 200
    assert "Kategorien hører ikke til valgt område." in response.content.decode()
    assert Defect.objects.get(pk=defect.pk).category_id == defect.category_id


@pytest.mark.parametrize("model", ["attachment", "affectsus", "comment"])
def test_children_of_a_defect_cannot_be_added_or_changed_in_the_admin(
    model: str,
    admin_client_for_superuser: tuple[Client, User],
    reporter: User,
    other_reporter: User,
    settings: SettingsWrapper,
    tmp_path: Path,
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    client, _admin = admin_client_for_superuser
    defect = make_defect(reporter)
    attachment_add(
        defect=defect,
        actor=reporter,
        upload=SimpleUploadedFile("skjerm.png", files.png_bytes(), "image/png"),
    )
    affects_us_add(defect=defect, user=other_reporter)
    comment_create(defect=defect, author=reporter, body="Hei")
    obj = {
        "attachment": Attachment.objects.get(),
        "affectsus": AffectsUs.objects.get(),
        "comment": Comment.objects.get(),
    }[model]
    assert client.get(reverse(f"admin:issues_{model}_add")).status_code == 403
    change_url = reverse(f"admin:issues_{model}_change", args=[obj.pk])
    page = client.get(change_url)
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    assert client.post(change_url, {}).status_code == 403
    delete_url = reverse(f"admin:issues_{model}_delete", args=[obj.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert type(obj)._default_manager.filter(pk=obj.pk).exists()
    assert Defect.objects.get(pk=defect.pk).affects_count == 1
