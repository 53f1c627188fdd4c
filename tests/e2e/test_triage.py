"""A triager in a real browser: queue, filters, override, merge across universities, conflicts."""

import re

import pytest
from playwright.sync_api import Page, expect

from issues.models import Area, Defect, Release
from issues.services.comments import comment_create
from issues.services.defects import defect_update
from tests.e2e.conftest import assert_accessible, choose, login
from tests.factories import make_defect, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_triager_filters_overrides_and_merges_across_universities(page: Page) -> None:
    make_user("management", institution="NTNU", username="triager")
    uio = make_user("reporter", institution="UiO")
    uib = make_user("reporter", institution="UiB")
    canonical = make_defect(uio, title="Leverandørfaktura blir avvist", area_code="BTB")
    duplicate = make_defect(uib, title="Faktura fra leverandør avvises", area_code="BTB")
    other = make_defect(uio, title="Timeavtale kan ikke signeres", area_code="TOA")
    comment_create(defect=duplicate, author=uib, body="Gjelder alle fakultet hos oss")

    login(page, "triager")
    page.get_by_role("link", name="Triagekø").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Triagekø")
    assert_accessible(page)

    # Filter on area.
    btb = Area.objects.get(code="BTB")
    choose(page, "Område", str(btb))
    page.get_by_role("button", name="Bruk filter").click()
    table = page.locator("table.queue")
    expect(table.get_by_role("link", name=canonical.key)).to_be_visible()
    expect(table.get_by_role("link", name=duplicate.key)).to_be_visible()
    expect(table.get_by_role("link", name=other.key)).to_have_count(0)

    # Override the tier with a reason.
    table.get_by_role("link", name=canonical.key).click()
    assert_accessible(page)
    page.get_by_label("Overstyrt nivå").select_option("1")
    page.get_by_role("button", name="Lagre nivå").click()
    expect(page.get_by_text("Skriv en begrunnelse for overstyringen.")).to_be_visible()
    page.get_by_label("Begrunnelse (påkrevd)").fill("Stopper betaling til leverandører i desember")
    page.get_by_role("button", name="Lagre nivå").click()
    expect(page.get_by_role("status")).to_contain_text("Nivået er overstyrt.")
    expect(page.get_by_text("Stopper betaling til leverandører i desember")).to_be_visible()
    canonical.refresh_from_db()
    assert (canonical.tier, canonical.rule_tier) == (1, 3)

    # Merge the UiB defect into the UiO one, found through the search box.
    page.goto(f"/triage/feil/{duplicate.pk}/slaa-sammen/")
    page.get_by_label("Søk på nøkkel (f.eks. BOTT-123) eller tekst").fill(canonical.key)
    page.get_by_role("button", name="Søk", exact=True).click()
    page.get_by_role("link", name=re.compile(f"Velg {canonical.key} ")).click()
    assert_accessible(page)
    page.get_by_role("button", name=f"Slå sammen med {canonical.key}").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"{duplicate.key} er slått sammen med {canonical.key}"
    )
    expect(page.get_by_role("link", name=duplicate.key)).to_be_visible()  # link back
    duplicate.refresh_from_db()
    canonical.refresh_from_db()
    assert duplicate.status == "duplicate"
    assert duplicate.duplicate_of_id == canonical.pk
    assert canonical.institutions_affected == 2
    assert canonical.comments.get().moved_from_id == duplicate.pk


def test_concurrent_edit_is_refused_with_a_clear_message(page: Page) -> None:
    make_user("management", institution="UiT", username="triager2")
    colleague = make_user("management", institution="UiB")
    defect = make_defect(make_user("reporter"), title="Gjestetilgang mangler")
    Release.objects.create(name="2026.12")

    login(page, "triager2")
    page.goto(f"/triage/feil/{defect.pk}/")
    # A colleague saves while this page is open.
    defect_update(
        defect=defect, actor=colleague, expected_version=1, data={"dfo_reference": "DFØ-111"}
    )
    page.get_by_label("DFØ-referanse").fill("DFØ-222")
    page.get_by_role("button", name="Lagre endringer").click()
    alert = page.locator("#conflict")
    expect(alert).to_contain_text("Saken er endret av noen andre")
    expect(alert).to_contain_text("DFØ-111")
    expect(page.get_by_label("DFØ-referanse")).to_have_value("DFØ-222")
    assert_accessible(page)
    assert Defect.objects.get(pk=defect.pk).dfo_reference == "DFØ-111"
    # Saving again applies the change on top of the colleague's.
    page.get_by_role("button", name="Lagre endringer").click()
    expect(page.get_by_role("status")).to_contain_text("Endringene er lagret.")
    assert Defect.objects.get(pk=defect.pk).dfo_reference == "DFØ-222"


def test_meeting_view_and_dashboard_are_accessible(page: Page) -> None:
    make_user("management", institution="UiO", username="triager3")
    reporter = make_user("reporter", institution="UiB")
    make_defect(reporter, title="Lønn utbetales feil", facts={"blocks_pay": True})
    make_defect(reporter, title="Rapport mangler", area_code="RAPPORT")
    login(page, "triager3")
    page.get_by_role("link", name="Møteforberedelse").click()
    tier1 = page.get_by_role("table", name="Åpne saker på nivå 1")
    expect(tier1.get_by_role("cell", name="Lønn utbetales feil")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Oversikt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Oversikt")
    page.wait_for_function("() => window.Chart && Chart.getChart('chart-area-tier')")
    expect(page.get_by_role("table", name="Åpne saker etter område og nivå")).to_be_visible()
    assert_accessible(page)


def test_reporter_sees_no_triage_links_or_pages(page: Page) -> None:
    make_user("reporter", institution="UiO", username="kari2")
    login(page, "kari2")
    # Logged in on the start page, whose menu would hold the link.
    expect(page.get_by_role("heading", level=1)).to_have_text("Kjente feil og løsninger")
    expect(page.get_by_role("link", name="Meld feil")).to_be_visible()
    expect(page.get_by_role("link", name="Triagekø")).to_have_count(0)
    response = page.goto("/triage/")
    assert response is not None
    assert response.status == 403
