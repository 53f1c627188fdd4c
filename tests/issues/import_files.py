"""Real spreadsheets for the import tests, written the way Norwegian Excel writes them."""

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from priorities.rules import FACTS

HEADERS_NB = [
    "Tittel",
    "Beskrivelse",
    "Område",
    "Kategori",
    "Institusjon",
    "Status",
    "DFØ-referanse",
    "Frist",
    "Ekstra timer per uke",
    "Berørte personer",
    *(f.question_nb for f in FACTS),
]
HEADERS_EN = [
    "Title",
    "Description",
    "Area",
    "Category",
    "Institution",
    "Status",
    "DFO reference",
    "Deadline",
    "Extra hours per week",
    "People affected",
    *(f.question_en for f in FACTS),
]


# The report form refuses a deadline in the past, and so does the import.
IN_THREE_MONTHS = (dt.date.today() + dt.timedelta(days=90)).strftime("%d.%m.%Y")  # noqa: DTZ011


def row(
    title: str,
    *,
    area: str = "BTB",
    status: str = "Ny",
    ref: str = "",
    deadline: Any = IN_THREE_MONTHS,
    hours: Any = "1,5",
    people: Any = "3",
    facts: Sequence[str] = (),
    description: str = "Beskrivelse",
    institution: str = "UiB",
    category: str = "",
) -> list[Any]:
    answers = ["Ja" if f.name in facts else "Nei" for f in FACTS]
    return [
        title,
        description,
        area,
        category,
        institution,
        status,
        ref,
        deadline,
        hours,
        people,
        *answers,
    ]


def write_xlsx(
    path: Path, rows: Sequence[Sequence[Any]], headers: Sequence[str] = HEADERS_NB
) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(list(headers))
    for values in rows:
        ws.append(list(values))
    wb.save(path)
    return path


def write_csv(
    path: Path,
    rows: Sequence[Sequence[Any]],
    *,
    encoding: str = "utf-8-sig",
    headers: Sequence[str] = HEADERS_NB,
) -> Path:
    """``;``-separated, CRLF, as Excel's "CSV UTF-8" (BOM) or "CSV (semikolondelt)" (cp1252)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    for values in rows:
        writer.writerow([v.strftime("%d.%m.%Y") if isinstance(v, dt.date) else v for v in values])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def fill_in_by_header(workbook: Any, answers: dict[str, dict[str, Any]], path: Path) -> Path:
    """Fill in cells by their column's header, as DFØ does in Excel, in the rows whose first cell
    (the key) is in ``answers``; saved to ``path``."""
    sheet = workbook.active
    headers = [c.value for c in sheet[1]]
    for cells in sheet.iter_rows(min_row=2):
        for header, value in answers.get(str(cells[0].value), {}).items():
            cells[headers.index(header)].value = value
    workbook.save(path)
    return path


def zip_bomb_xlsx(path: Path, size: int = 40 * 1024 * 1024) -> Path:
    """A workbook-shaped zip whose sheet unpacks to ``size`` bytes of zeros (a few hundred KB)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as entry:
            block = b"\0" * (1024 * 1024)
            for _unused in range(size // len(block)):
                entry.write(block)
    return path


_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Ark1" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        "</Relationships>"
    ),
}


def many_rows_xlsx(path: Path, rows: int, *, dimension: bool = True) -> Path:
    """A minimal valid workbook with ``rows`` data rows, its sheet XML written directly (openpyxl
    needs minutes for a million rows; this takes seconds)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in _PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8"?>'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                + (f'<dimension ref="A1:B{rows + 1}"/>'.encode() if dimension else b"")
                + b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Tittel</t></is></c>'
                b'<c r="B1" t="inlineStr"><is><t>Omr\xc3\xa5de</t></is></c></row>'
            )
            chunk = []
            for n in range(2, rows + 2):
                chunk.append(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>')
                if len(chunk) == 10_000:
                    sheet.write("".join(chunk).encode())
                    chunk = []
            sheet.write("".join(chunk).encode() + b"</sheetData></worksheet>")
    return path
