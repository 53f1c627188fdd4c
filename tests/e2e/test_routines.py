import pytest
from playwright.sync_api import Page, expect

from issues.models import DefectStatus, Routine
from issues.services.defects import defect_transition
from tests.e2e.conftest import assert_accessible, login
from tests.factories import make_defect, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_manager_writes_and_reviews_a_routine(page: Page) -> None:
    manager = make_user("management", username="forvalter")
    defect = make_defect(make_user("reporter"), title="Reise kan ikke godkjennes")
    defect = defect_transition(defect=defect, actor=manager, to_status=DefectStatus.TRIAGED)
    login(page, "forvalter")
    page.get_by_role("link", name="Rutiner", exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name="Skriv ny rutine").click()
    assert_accessible(page)
    page.get_by_label("Tittel").fill("Godkjenn reise manuelt")
    page.get_by_label("Rutine", exact=True).fill("1. Åpne reisen\n2. **Godkjenn** manuelt")
    page.get_by_label("Saker rutinen er en løsning for").fill(defect.key)
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Godkjenn reise manuelt")
    assert_accessible(page)
    Routine.objects.update(needs_review=True, review_reason=f"{defect.key} er rettet")
    page.reload()
    page.get_by_role("button", name="Fortsatt riktig – bekreft uendret").click()
    expect(page.get_by_role("status")).to_contain_text("bekreftet uendret")
    assert not Routine.objects.get().needs_review
    assert_accessible(page)
