import csv
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from issues import exports
from issues.models import Defect, ExportLog, User
from issues.text import clean_text
from tests.factories import make_defect, make_user
from tests.issues.pd_numbers import first_national_id
from tests.readers import streamed

EVIL = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR", "\nLF"]
# Full-width forms, which Excel and LibreOffice also read as formula starts (issue 16).
EVIL += ["\uff1dSUM(A1)", "\uff0b1", "\uff0d1", "\uff20SUM(A1)"]


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _csv_rows(response: object) -> list[list[str]]:
    raw = streamed(response)
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


@pytest.mark.parametrize("text", EVIL)
def test_clean_cell_neutralises_formula_triggers(text: str) -> None:
    cleaned = exports.clean_cell(text)
    assert cleaned.startswith("'")
    assert cleaned[1:] == clean_text(text)


def test_clean_cell_masks_personal_data_and_keeps_plain_text() -> None:
    assert exports.clean_cell("Faktura stopper") == "Faktura stopper"
    number = first_national_id("010190")
    cleaned = exports.clean_cell(f"Gjelder {number}")
    assert number not in cleaned


@pytest.mark.django_db
def test_export_masks_text_that_slipped_past_the_services(manager: User, reporter: User) -> None:
    number = first_national_id("150585")
    defect = make_defect(reporter, title="Lønn")
    # Bypass the service on purpose: the export must not trust stored text blindly.
    Defect.objects.filter(pk=defect.pk).update(title=f"Lønn for {number}", workaround=number)
    response = _client(manager).get(reverse("issues:export", args=["csv"]))
    assert response.status_code == 200
    raw = streamed(response)
    assert f'"{defect.key}";"Lønn for ***********"'.encode() in raw  # the row is there, masked
    assert number.encode() not in raw
    response = _client(manager).get(reverse("issues:export", args=["xlsx"]))
    assert response.status_code == 200
    xlsx = response.content
    values = [c.value for row in load_workbook(io.BytesIO(xlsx)).active.iter_rows() for c in row]
    assert "Lønn for ***********" in values
    assert not any(number in str(v) for v in values)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["reporter", None])
def test_only_management_and_liaison_may_export(role: str | None) -> None:
    user = make_user(role)
    for fmt in ("csv", "xlsx", "pdf"):
        assert _client(user).get(reverse("issues:export", args=[fmt])).status_code == 403
    assert _client(user).get(reverse("issues:escalation")).status_code == 403
    assert not ExportLog.objects.exists()


@pytest.mark.django_db
def test_anonymous_is_sent_to_login() -> None:
    response = Client().get(reverse("issues:export", args=["csv"]))
    assert response.status_code == 302


@pytest.mark.django_db
def test_csv_is_bom_semicolon_sanitised_and_logged(manager: User, reporter: User) -> None:
    for text in EVIL:
        make_defect(reporter, title=f"{text} tittel", workaround=text)
    make_defect(reporter, title="Ærlig øl på å", extra_hours_per_week=Decimal("1.5"))
    response = _client(manager).get(reverse("issues:export", args=["csv"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv_rows(response)
    header, body = rows[0], rows[1:]
    assert header[0] == "Nøkkel"
    assert "Fortrolig" in header
    assert len(body) == len(EVIL) + 1
    for row in body:
        for cell in row:
            assert not cell.startswith(exports.FORMULA_TRIGGERS), row
    assert any(r[1] == "Ærlig øl på å" and r[13] == "1,5" for r in body)
    log = ExportLog.objects.get()
    assert (log.user, log.format, log.row_count) == (manager, "csv", len(body))


@pytest.mark.django_db
def test_export_follows_the_filter_and_records_it(liaison: User, reporter: User) -> None:
    make_defect(reporter, title="Lønn feil", facts={"blocks_pay": True})
    make_defect(reporter, title="Litt frustrerende", facts={"frustration": True})
    response = _client(liaison).get(reverse("issues:export", args=["csv"]), {"tier": "1"})
    body = _csv_rows(response)[1:]
    assert [r[1] for r in body] == ["Lønn feil"]
    assert ExportLog.objects.get().filters == {"tier": ["1"]}


@pytest.mark.django_db
def test_bad_filter_is_a_clear_400(manager: User) -> None:
    response = _client(manager).get(reverse("issues:export", args=["csv"]), {"tier": "9"})
    assert response.status_code == 400
    assert "Ugyldig filter" in response.content.decode()
    assert not ExportLog.objects.exists()


@pytest.mark.django_db
def test_xlsx_has_header_freeze_filter_dates_and_no_formulas(manager: User, reporter: User) -> None:
    for text in EVIL:
        make_defect(reporter, title=text, workaround=text)
    response = _client(manager).get(reverse("issues:export", args=["xlsx"]))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.active
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:S{len(EVIL) + 1}"  # 19 columns, the last Versjon, DFØ-status
    assert ws["A1"].value == "Nøkkel"
    assert ws["A1"].font.b
    assert ws.column_dimensions["B"].width >= 40
    rows = list(ws.iter_rows(min_row=2))
    assert len(rows) == len(EVIL)
    for row in rows:
        for cell in row:
            assert cell.data_type != "f", cell.value
            if isinstance(cell.value, str):
                assert not cell.value.startswith(exports.FORMULA_TRIGGERS)
        import datetime as dt

        assert isinstance(row[10].value, dt.datetime)  # "first reported" as a real date
        assert isinstance(row[15].value, dt.datetime)


@pytest.mark.django_db
def test_confidential_rows_only_for_those_who_may_see_them(
    manager: User, reporter: User, other_reporter: User
) -> None:
    make_defect(reporter, title="Hemmelig", confidential=True)
    make_defect(reporter, title="Åpen")
    body = _csv_rows(_client(manager).get(reverse("issues:export", args=["csv"])))[1:]
    flags = {r[1]: r[16] for r in body}
    assert flags == {"Hemmelig": "Fortrolig", "Åpen": ""}


@pytest.mark.django_db
def test_pdf_is_a4_landscape(manager: User, reporter: User) -> None:
    make_defect(reporter, title="Faktura stopper i flyt")
    response = _client(manager).get(reverse("issues:export", args=["pdf"]), {"tier": "3"})
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"
    assert ExportLog.objects.get().format == "pdf"


@pytest.mark.django_db
def test_pdf_layout_is_a4_landscape_with_title_and_filter(reporter: User) -> None:
    import datetime as dt

    make_defect(reporter, title="Faktura stopper i flyt")
    document = exports.pdf_document(
        exports.export_rows(Defect.objects.all()),
        title="Saker for DFØ",
        filter_text="tier=1",
        total=1,
        generated=dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC),
    )
    page = document.pages[0]
    # A4 landscape in CSS pixels (96 per inch): 297 mm × 210 mm.
    assert round(page.width) == 1123
    assert round(page.height) == 794


@pytest.mark.django_db
def test_export_rows_use_values_not_instances(reporter: User) -> None:
    make_defect(reporter, title="En")
    rows = list(exports.export_rows(Defect.objects.all()))
    assert rows[0][0].startswith("BOTT-")  # type: ignore[union-attr]
    assert len(rows[0]) == len(exports.columns())


@pytest.mark.django_db
def test_escalation_page_renders_for_liaison(liaison: User) -> None:
    response = _client(liaison).get(reverse("issues:escalation"))
    assert response.status_code == 200
    assert reverse("issues:export", args=["xlsx"]) in response.content.decode()


@pytest.mark.django_db
def test_export_links_partial_keeps_the_page_filter(manager: User, reporter: User) -> None:
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    request = RequestFactory().get("/ko/", {"tier": "1", "status": "new"})
    request.user = manager
    html = render_to_string("issues/escalation/_export_links.html", request=request)
    assert reverse("issues:export", args=["xlsx"]) + "?tier=1&amp;status=new" in html
    request.user = reporter
    assert "XLSX" not in render_to_string("issues/escalation/_export_links.html", request=request)


@pytest.mark.django_db
@pytest.mark.parametrize("separator", [",", "\t", ";"])
def test_csv_cells_cannot_start_a_formula_whatever_separator_is_guessed(
    manager: User, reporter: User, separator: str
) -> None:
    # Issue 16: a title "a,=1+1" split on "," made a cell "=1+1" when only ; " and newline quoted.
    make_defect(reporter, title="Faktura a,=HYPERLINK(1),\uff0b1 stopper")
    raw = streamed(_client(manager).get(reverse("issues:export", args=["csv"])))
    text = raw.decode("utf-8-sig")
    for row in csv.reader(io.StringIO(text), delimiter=separator):
        for cell in row:
            assert not cell.startswith(exports.FORMULA_TRIGGERS), cell


def test_xlsx_with_control_characters_is_a_valid_workbook(manager: User, reporter: User) -> None:
    defect = make_defect(reporter, title="Tittel")
    # Past the services on purpose: stored text the edge cleaning never saw.
    Defect.objects.filter(pk=defect.pk).update(title="Feil\x01\x1b i lønn", workaround="=1+1\x07")
    response = _client(manager).get(reverse("issues:export", args=["xlsx"]))
    row = next(load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2))
    assert all(cell.data_type != "f" for cell in row)
    assert str(row[1].value).startswith("Feil")
    assert str(row[14].value).startswith("'=1+1")
