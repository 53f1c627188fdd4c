"""The DFØ liaison takes DFØ's answer sheet back in: export, edit as DFØ would, upload, see the
diff, apply. Every page on the way (and its error states) passes axe-core."""

from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page
from pytest_django.fixtures import Settings as SettingsWrapper

from issues.models import Defect, DefectStatus, DfoStatusWord, ImportBatch
from issues.services.defects import defect_transition
from tests.e2e.conftest import assert_accessible, login
from tests.factories import make_defect, make_user
from tests.issues.import_files import fill_in_by_header

pytestmark = pytest.mark.django_db(transaction=True)


def test_liaison_takes_dfos_answers_back_in(
    page: Page, tmp_path: Path, settings: SettingsWrapper
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    liaison = make_user("liaison", username="dfo-kontakt")
    manager = make_user("management", username="forvalter")
    defects = []
    for title in ("Faktura stopper", "Lønn for sent"):
        defect = make_defect(liaison, title=title, facts={"blocks_pay": True})
        for step in (DefectStatus.TRIAGED, DefectStatus.REPORTED):
            defect = defect_transition(defect=defect, actor=manager, to_status=step)
        defects.append(defect)
    DfoStatusWord.objects.create(word="Under arbeid", status=DefectStatus.IN_PROGRESS)

    login(page, "dfo-kontakt")
    page.get_by_role("link", name="Eskalering til DFØ").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Excel (XLSX)").click()
    export = tmp_path / "eskalering.xlsx"
    download.value.save_as(export)
    first, second = defects
    answered = fill_in_by_header(
        load_workbook(export),
        {
            first.key: {"DFØ-referanse": "DFØ-4711", "DFØ-status": "Under arbeid"},
            second.key: {"DFØ-status": "Tenker på det"},  # a word nobody mapped: flagged
        },
        tmp_path / "svar-fra-dfo.xlsx",
    )

    page.get_by_role("link", name="Legg inn svar fra DFØ").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Svar fra DFØ"
    assert_accessible(page)
    page.get_by_role("button", name="Last opp og sammenlign").click()  # no file chosen
    assert page.get_by_text("Dette feltet er påkrevd.").is_visible()
    assert_accessible(page)

    page.get_by_label("Regneark (XLSX eller CSV)").set_input_files(str(answered))
    page.get_by_role("button", name="Last opp og sammenlign").click()
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading == "Endringer fra DFØ i svar-fra-dfo.xlsx"
    assert page.get_by_role("heading", name="Flagget – endres ikke").is_visible()
    assert page.get_by_role("cell", name="DFØ-4711").is_visible()
    assert Defect.objects.get(pk=first.pk).dfo_reference == ""
    assert_accessible(page)

    page.get_by_role("button", name="Oppdater 1 sak").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/import/batch/**")
    assert page.get_by_role("heading", level=1).inner_text() == "Importert: svar-fra-dfo.xlsx"
    assert_accessible(page)
    changed = Defect.objects.get(pk=first.pk)
    assert (changed.dfo_reference, changed.status) == ("DFØ-4711", DefectStatus.IN_PROGRESS)
    assert Defect.objects.get(pk=second.pk).status == DefectStatus.REPORTED
    assert ImportBatch.objects.get().mapping["flagged"] == [second.key]


def test_an_unreadable_answer_file_gets_an_accessible_message(
    page: Page, tmp_path: Path, settings: SettingsWrapper
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    make_user("liaison", username="dfo-kontakt")
    broken = tmp_path / "svar.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    login(page, "dfo-kontakt")
    page.goto("/import/dfo/")
    page.get_by_label("Regneark (XLSX eller CSV)").set_input_files(str(broken))
    page.get_by_role("button", name="Last opp og sammenlign").click()
    assert "skadet" in page.get_by_role("alert").inner_text()
    assert_accessible(page)
