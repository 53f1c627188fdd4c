import pytest
from playwright.sync_api import Page, expect

from issues.models import DefectStatus, FixConfirmation
from issues.services.defects import defect_transition
from tests.e2e.conftest import assert_accessible, login
from tests.factories import make_defect, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_reporter_confirms_a_fix_from_the_start_page(page: Page) -> None:
    reporter = make_user("reporter", username="melder")
    manager = make_user("management", institution="NTNU")
    defect = make_defect(reporter, title="Attestasjon henger")
    for status in (DefectStatus.TRIAGED, DefectStatus.REPORTED, DefectStatus.FIXED):
        defect = defect_transition(defect=defect, actor=manager, to_status=status)
    login(page, "melder")
    expect(page.get_by_role("heading", name="Rettinger som venter på svar fra UiO")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=f"{defect.key} Attestasjon henger").first.click()
    expect(page.get_by_role("heading", name="Bekreftelse av retting")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Fungerer ikke – åpne saken igjen").click()
    expect(page.get_by_text("Skriv hva som fortsatt ikke fungerer.").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Fungerer hos oss (UiO)").click()
    expect(page.get_by_role("status")).to_contain_text("Rettingen er bekreftet")
    assert FixConfirmation.objects.get(defect=defect).state == "confirmed"
    assert_accessible(page)
