import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from issues.models import Defect, Release
from issues.services.defects import defect_transition
from tests.e2e.conftest import assert_accessible, login
from tests.factories import make_defect, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_release_pages_are_accessible(page: Page) -> None:
    reporter = make_user("reporter", username="melder")
    release = Release.objects.create(name="2026.5", expected_date=dt.date(2026, 2, 1))
    defect = make_defect(reporter, title="Lovet i 2026.5")
    fixed = make_defect(reporter, title="Rettet i 2026.5")
    Defect.objects.filter(pk__in=[defect.pk, fixed.pk]).update(target_release=release)
    manager = make_user("management", institution="NTNU")
    for status in ("triaged", "reported_to_dfo", "fixed"):
        fixed = defect_transition(defect=fixed, actor=manager, to_status=status)
    login(page, "melder")
    page.get_by_role("link", name="Releaser", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Releaser fra DFØ")
    expect(page.get_by_text("Forsinket", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="2026.5").click()
    expect(page.get_by_role("heading", name="Lovet i denne releasen")).to_be_visible()
    expect(page.get_by_text("UiO: Venter")).to_be_visible()
    assert_accessible(page)
