import pytest
from playwright.sync_api import Page, expect

from issues.models import DigestRun, ExportLog
from tests.e2e.conftest import assert_accessible, choose, login
from tests.factories import make_defect, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_liaison_exports_previews_sends_and_reads_the_archive(page: Page) -> None:
    liaison = make_user("liaison", username="dfo-kontakt")
    make_defect(liaison, title="Lønn kommer ikke", facts={"blocks_pay": True})
    login(page, "dfo-kontakt")
    page.get_by_role("link", name="Eskalering til DFØ").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Eskalering til DFØ"
    assert_accessible(page)

    choose(page, "Nivå", "1")
    with page.expect_download() as download:
        page.get_by_role("button", name="Excel (XLSX)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    assert ExportLog.objects.get().filters == {"tier": ["1"]}

    page.get_by_role("link", name="Forhåndsvis og send sammendrag").click()
    assert page.get_by_role("heading", name="Nye saker på nivå 1 (1)").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Send nå").click()
    expect(page.get_by_role("region", name="Sende sammendraget nå til 1 mottaker?")).to_be_focused()
    assert DigestRun.objects.count() == 0
    assert_accessible(page)
    page.get_by_role("button", name="Ja, send nå").click()
    assert page.get_by_role("status").inner_text().startswith("Sammendraget sendes nå")
    assert DigestRun.objects.count() == 1
    assert_accessible(page)

    page.get_by_role("link", name="Tilbake til arkivet").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Arkiv over sammendrag"
    assert_accessible(page)


def test_reporter_has_no_escalation_link(page: Page) -> None:
    make_user("reporter", username="melder")
    login(page, "melder")
    # Logged in on the start page, whose menu would hold the link.
    expect(page.get_by_role("heading", level=1)).to_have_text("Kjente feil og løsninger")
    expect(page.get_by_role("link", name="Meld feil")).to_be_visible()
    assert page.get_by_role("link", name="Eskalering til DFØ").count() == 0
    assert page.request.get("/eskalering/").status == 403
