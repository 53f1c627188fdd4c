"""The forvaltningsteam imports a spreadsheet in the browser: mapping -> dry run -> confirm."""

from pathlib import Path

import pytest
from playwright.sync_api import Page
from pytest_django.fixtures import Settings as SettingsWrapper

from issues.models import Defect, ImportBatch
from tests.e2e.conftest import assert_accessible, login
from tests.factories import make_user
from tests.issues.import_files import row, write_xlsx

pytestmark = pytest.mark.django_db(transaction=True)


def test_mapping_dry_run_and_confirm_by_keyboard(
    page: Page, tmp_path: Path, settings: SettingsWrapper
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    make_user("management", username="forvalter")
    path = write_xlsx(
        tmp_path / "uio-feil.xlsx",
        [row("Faktura stopper", area="Innkjøp", facts=["blocks_supplier_payment"]), row("Lønn")],
    )
    login(page, "forvalter")
    page.get_by_role("link", name="Eskalering til DFØ").click()
    page.get_by_role("link", name="Importer feilliste").click()
    assert_accessible(page)
    page.get_by_label("Regneark (XLSX eller CSV)").set_input_files(str(path))
    page.get_by_role("button", name="Last opp og kontroller").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Kontroller import av uio-feil.xlsx"
    assert page.get_by_label("Tittel", exact=True).input_value() == "title"
    assert page.get_by_role("heading", name="Rader med feil").is_visible()
    assert page.get_by_role("button", name="Importer 2 saker").count() == 0
    assert_accessible(page)

    page.get_by_label("Område: «Innkjøp»").select_option(
        label="BTB – Behov til betaling (innkjøp og faktura)"
    )
    page.get_by_role("button", name="Kontroller på nytt").click()
    assert page.get_by_role("heading", name="Rader med feil").count() == 0
    assert not Defect.objects.exists()
    assert_accessible(page)

    page.get_by_role("button", name="Importer 2 saker").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/import/batch/**")
    assert page.get_by_role("heading", level=1).inner_text() == "Importert: uio-feil.xlsx"
    assert_accessible(page)
    batch = ImportBatch.objects.get()
    assert sorted(Defect.objects.values_list("title", "tier")) == [
        ("Faktura stopper", 1),
        ("Lønn", 3),
    ]
    assert batch.rows.count() == 2
