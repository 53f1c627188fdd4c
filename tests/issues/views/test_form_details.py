"""Small promises of the forms and formats: own defects, units per institution, uploads, numbers."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st
from pytest_django.fixtures import Settings as SettingsWrapper

from issues import permissions
from issues.formatting import file_size, number
from issues.models import AffectsUs, Attachment, Defect, OrgUnit, User
from issues.services.held_uploads import held_keep, held_list, held_uploads_cleanup
from tests.factories import make_defect, make_user
from tests.issues import files
from tests.issues.views.test_reporting import report_data


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_a_reporter_cannot_say_their_own_defect_affects_them_too() -> None:
    reporter = make_user("reporter", institution="UiO")
    colleague = make_user("reporter", institution="UiB")
    defect = make_defect(reporter)
    assert not permissions.can_mark_affected(reporter, defect)
    assert permissions.can_mark_affected(colleague, defect)
    page = _client(reporter).get(defect.get_absolute_url()).content.decode()
    assert "Gjelder oss også</button>" not in page
    response = _client(reporter).post(reverse("issues:affects_us", args=[defect.pk]))
    assert response.status_code in (302, 400, 403)
    assert not AffectsUs.objects.filter(defect=defect).exists()


@pytest.mark.django_db
def test_the_unit_list_offers_only_the_reporters_institution() -> None:
    reporter = make_user("reporter", institution="NTNU")
    page = _client(reporter).get(reverse("issues:report_new")).content.decode()
    start = page.index('name="unit"')
    units = page[start : page.index("</select>", start)]
    own = OrgUnit.objects.filter(institution__code="NTNU").first()
    other = OrgUnit.objects.exclude(institution__code="NTNU").first()
    assert own is not None
    assert other is not None
    assert f'value="{own.pk}"' in units
    assert f'value="{other.pk}"' not in units


@pytest.mark.django_db
def test_the_attachment_input_tells_the_browser_what_it_may_send() -> None:
    page = _client(make_user("reporter")).get(reverse("issues:report_new")).content.decode()
    assert 'data-max-bytes="10485760"' in page
    assert 'accept=".png,.jpg,.pdf,.txt,.csv,.xlsx,.docx,.jpeg"' in page


def test_numbers_in_bokmal_and_english() -> None:
    with translation.override("nb"):
        assert number(12345.5, 1) == "12\u202f345,5"
        assert number(Decimal("16.00"), 1) == "16,0"
        assert file_size(30 * 1024 * 1024) == "30,0 MB"
    with translation.override("en"):
        assert number(12345.5, 1) == "12,345.5"
        assert file_size(30 * 1024 * 1024) == "30.0 MB"


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_bokmal_integers_read_back_to_the_same_value(value: int) -> None:
    # Oracle: Python's own grouping, with the separators swapped by hand.
    expected = f"{value:,}".replace(",", "\u202f")
    with translation.override("nb"):
        assert number(value) == expected


@pytest.mark.django_db
def test_kept_attachments_survive_a_refused_send_and_can_be_removed(
    tmp_path: Path, settings: SettingsWrapper
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    reporter = make_user("reporter", institution="UiO")
    other = make_user("reporter", institution="UiO")
    client = _client(reporter)
    data = report_data(institution=reporter.institution_id, title="")
    data["attachments"] = [
        SimpleUploadedFile("en.png", files.png_bytes(), "image/png"),
        SimpleUploadedFile("to.png", files.png_bytes(), "image/png"),
    ]
    refused = client.post(reverse("issues:report_new"), data)
    assert refused.status_code == 400
    token = data["form_token"]
    kept = held_list(user=reporter, token=token)
    assert [h.name for h in kept] == ["en.png", "to.png"]
    assert held_list(user=other, token=token) == []  # the token alone reaches nobody's files
    # Remove one, then send the corrected form without choosing files again.
    removed = client.post(reverse("issues:report_new"), {**data, "remove_held": kept[0].key})
    assert removed.status_code == 200
    assert [h.name for h in held_list(user=reporter, token=token)] == ["to.png"]
    fixed = {k: v for k, v in data.items() if k != "attachments"}
    fixed["title"] = "Fakturaen avvises igjen"
    done = client.post(reverse("issues:report_new"), fixed)
    assert done.status_code == 302
    defect = Defect.objects.get(title="Fakturaen avvises igjen")
    assert list(
        Attachment.objects.filter(defect=defect).values_list("original_name", flat=True)
    ) == ["to.png"]
    assert held_list(user=reporter, token=token) == []


@pytest.mark.django_db
def test_held_files_older_than_a_day_are_swept(tmp_path: Path, settings: SettingsWrapper) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    reporter = make_user("reporter")
    token = "a" * 32
    upload = SimpleUploadedFile("x.png", files.png_bytes(), "image/png")
    assert len(held_keep(user=reporter, token=token, uploads=[upload])) == 1
    assert held_uploads_cleanup() == 0
    assert held_uploads_cleanup(now=timezone.now() + dt.timedelta(days=2)) == 1
    assert held_list(user=reporter, token=token) == []
