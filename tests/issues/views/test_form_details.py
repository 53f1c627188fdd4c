"""Small promises of the forms and formats: own defects, units per institution, uploads, numbers."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from issues import permissions
from issues.formatting import file_size, number
from issues.models import AffectsUs, OrgUnit, User
from tests.factories import make_defect, make_user


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
