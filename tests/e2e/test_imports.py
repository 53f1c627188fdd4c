"""The forvaltningsteam imports a spreadsheet in the browser: mapping -> dry run -> confirm."""

from pathlib import Path

import pytest
from django.core.files import File
from playwright.sync_api import Page
from pytest_django.fixtures import Settings as SettingsWrapper

from issues.imports import DEFECT_FIELDS, guess_columns
from issues.models import Area, Defect, ImportBatch, ImportKind
from issues.selectors.imports import ImportMapping
from issues.services.imports import defects_import, upload_store
from issues.spreadsheets import read_table
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


def test_import_error_states_and_the_saved_mapping_are_accessible(
    page: Page, tmp_path: Path, settings: SettingsWrapper
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    make_user("management", username="forvalter", institution="UiB")
    login(page, "forvalter")
    page.goto("/import/")
    page.get_by_role("button", name="Last opp og kontroller").click()  # no file chosen
    assert page.get_by_text("Dette feltet er påkrevd.").is_visible()
    assert_accessible(page)

    broken = tmp_path / "feil.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    page.get_by_label("Regneark (XLSX eller CSV)").set_input_files(str(broken))
    page.get_by_role("button", name="Last opp og kontroller").click()
    assert "skadet" in page.get_by_role("alert").inner_text()
    assert_accessible(page)

    # A colleague's earlier import from the same university: its choices come back.
    colleague = make_user("management", institution="UiB")
    first = write_xlsx(tmp_path / "uib-1.xlsx", [row("Faktura", area="Innkjøp")])
    with first.open("rb") as handle:
        upload = upload_store(
            user=colleague, kind=ImportKind.DEFECTS, file=File(handle), name=first.name
        )
    table = read_table(first, first.name)
    btb = Area.objects.get(code="BTB")
    columns = guess_columns(table.headers, DEFECT_FIELDS)
    mapping = ImportMapping(columns, {"area": {"innkjop": str(btb.pk)}})
    defects_import(actor=colleague, upload=upload, mapping=mapping)

    page.goto("/import/")
    second = write_xlsx(tmp_path / "uib-2.xlsx", [row("Lønn", area="Innkjøp")])
    page.get_by_label("Regneark (XLSX eller CSV)").set_input_files(str(second))
    page.get_by_role("button", name="Last opp og kontroller").click()
    assert page.get_by_text(
        "Valgene er hentet fra forrige import fra samme universitet"
    ).is_visible()
    assert page.get_by_role("button", name="Importer 1 sak").is_visible()
    assert_accessible(page)
