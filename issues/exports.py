"""CSV / XLSX / PDF writers for defect lists, and the one cell-sanitising helper.

Rows come from ``QuerySet.values()`` streamed with ``.iterator()``: no model instances, bounded
memory. Every text cell passes ``clean_cell`` (personal data masked, formula triggers neutralised).
"""

import csv
import datetime as dt
import io
import logging
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

import xlsxwriter
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from issues.models import Defect, DefectStatus
from issues.models.defects import KEY_PREFIX
from issues.personal_data import NUMBER_LENGTH, mask
from issues.text import clean_text

log = logging.getLogger(__name__)

# A spreadsheet treats a cell starting with one of these as a formula (or a DDE payload); Excel
# and LibreOffice also read the full-width forms (＝ ＋ － ＠) as their ASCII twins. Leading
# whitespace controls are stripped by some importers before they look at the first character.
SIGN_TRIGGERS = "=+-@\uff1d\uff0b\uff0d\uff20"
FORMULA_TRIGGERS = (*SIGN_TRIGGERS, "\t", "\r", "\n")
CHUNK_SIZE = 2000
WORKAROUND_SUMMARY_CHARS = 200
PDF_MAX_ROWS = 2000

Cell = str | int | Decimal | dt.date | dt.datetime | None

VALUE_FIELDS = (
    "id",
    "title",
    "area__name_nb",
    "category__name_nb",
    "system__name_nb",
    "tier",
    "tier_override",
    "override_reason",
    "rule_reasons",
    "status",
    "dfo_reference",
    "target_release__name",
    "created_at",
    "institutions_affected",
    "people_affected",
    "weekly_cost",
    "workaround",
    "updated_at",
    "confidential",
    "version",
)


@dataclass(frozen=True)
class Column:
    header: str
    width: int
    kind: str = "text"  # text | int | decimal | date | datetime


def columns() -> list[Column]:
    return [
        Column(_("Nøkkel"), 12),
        Column(_("Tittel"), 50),
        Column(_("Område"), 24),
        Column(_("Kategori"), 24),
        Column(_("System"), 20),
        Column(_("Nivå"), 6, "int"),
        Column(_("Begrunnelse for nivå"), 45),
        Column(_("Status"), 20),
        Column(_("DFØ-referanse"), 16),
        Column(_("Planlagt release"), 18),
        Column(_("Først meldt"), 12, "date"),
        Column(_("Berørte institusjoner"), 10, "int"),
        Column(_("Berørte personer"), 10, "int"),
        Column(_("Kostnad per uke (timer)"), 12, "decimal"),
        Column(_("Midlertidig løsning"), 50),
        Column(_("Sist endret"), 17, "datetime"),
        Column(_("Fortrolig"), 9),
        # Key + version let DFØ's answer sheet come back in (services/dfo_answers.py): a defect
        # edited after the export is flagged rather than overwritten. DFØ fills in DFØ-status.
        Column(_("Versjon"), 8, "int"),
        Column(_("DFØ-status"), 18),
    ]


_DROP_DIGITS = str.maketrans("", "", "0123456789")


def clean_cell(value: str) -> str:
    """Text safe to put in a spreadsheet cell: control characters gone, personal data masked,
    formulas neutralised.

    Stored text is clean already (``issues.hygiene``); this guards rows written before that or by
    a path that skips ``save()``, so one such row cannot make openpyxl fail the whole export.
    A leading apostrophe is what spreadsheet users type themselves to force text (OWASP's advice
    for CSV injection); the visible text otherwise stays as stored.
    """
    value = clean_text(value)
    # Every number ``mask`` looks for has 11 digits; most cells have fewer, and this is far cheaper.
    text = (
        mask(value) if len(value) - len(value.translate(_DROP_DIGITS)) >= NUMBER_LENGTH else value
    )
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def _reason(row: Mapping[str, Any]) -> str:
    if row["tier_override"] is not None:
        return _("Overstyrt: %(reason)s") % {"reason": row["override_reason"]}
    reasons = row["rule_reasons"] or []
    return "; ".join(str(r.get("nb", "")) for r in reasons if isinstance(r, dict))


def _summary(text: str) -> str:
    flat = " ".join(text.split())
    if len(flat) <= WORKAROUND_SUMMARY_CHARS:
        return flat
    return flat[: WORKAROUND_SUMMARY_CHARS - 1].rstrip() + "…"


def _local(value: dt.datetime | None, tz: dt.tzinfo) -> dt.datetime | None:
    # Spreadsheets have no time zones: show Oslo wall-clock time, as users see it in the app.
    if value is None:
        return None
    return value.astimezone(tz).replace(tzinfo=None, microsecond=0)


def row_cells(
    row: Mapping[str, Any], *, statuses: Mapping[str, str], tz: dt.tzinfo, confidential: str
) -> list[Cell]:
    """One ``values()`` row as typed cells in ``columns()`` order; text not yet cleaned."""
    created = _local(row["created_at"], tz)
    return [
        f"{KEY_PREFIX}{row['id']}",
        row["title"],
        row["area__name_nb"] or "",
        row["category__name_nb"] or "",
        row["system__name_nb"] or "",
        row["tier"],
        _reason(row),
        statuses.get(row["status"], row["status"]),
        row["dfo_reference"],
        row["target_release__name"] or "",
        created.date() if created else None,
        row["institutions_affected"],
        row["people_affected"],
        row["weekly_cost"],
        _summary(row["workaround"]),
        _local(row["updated_at"], tz),
        confidential if row["confidential"] else "",
        row["version"],
        "",
    ]


def export_rows(queryset: QuerySet[Defect]) -> Iterator[list[Cell]]:
    """Cleaned cells, streamed from the database in chunks."""
    # Per-export constants, looked up once rather than per row.
    statuses = {value: str(label) for value, label in DefectStatus.choices}
    tz = timezone.get_current_timezone()
    confidential = _("Fortrolig")
    for row in queryset.values(*VALUE_FIELDS).iterator(chunk_size=CHUNK_SIZE):
        try:
            cells = row_cells(row, statuses=statuses, tz=tz, confidential=confidential)
            yield [clean_cell(c) if isinstance(c, str) else c for c in cells]
        except Exception:
            # One unreadable row must not take the export (or the digest) down with it: the row
            # says so in the file, and the log names it.
            log.exception("export: row %s could not be written", row.get("id"))
            yield _failed_row(row.get("id"))


def _failed_row(pk: object) -> list[Cell]:
    cells: list[Cell] = [None] * len(columns())
    cells[0] = f"{KEY_PREFIX}{pk}"
    cells[1] = _("(raden kunne ikke eksporteres)")
    return cells


# --- CSV -----------------------------------------------------------------------------------------
# Norwegian Excel opens a .csv by double-click with the Windows list separator (";" in nb-NO,
# because "," is the decimal mark) and reads it as UTF-8 only when the file starts with a BOM.
# Numbers therefore use a decimal comma and dates ISO 8601, which nb-NO Excel parses as dates.
CSV_DELIMITER = ";"
BOM = "\ufeff"


class _Line:
    def write(self, value: str) -> str:
        return value


def _csv_value(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f").replace(".", ",")
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


# A separator a spreadsheet might guess, then optional blanks or quotes, then a formula trigger.
_SPLIT_TRIGGER_RE = re.compile(r"([,;\t\n][\s\"']*)(?=[" + re.escape(SIGN_TRIGGERS) + "])")


def _csv_safe(value: str) -> str:
    """Neutralise a trigger that would start a cell if the file were split on another separator.

    Quoting alone is not enough: split on "," a line ``"BOTT-1";"a,=1+1"`` still yields the cell
    ``=1+1``, because the quotes pair up differently. The apostrophe is OWASP's neutraliser.
    """
    return _SPLIT_TRIGGER_RE.sub(r"\1'", value)


# Every field quoted, so ";" "," and tabs inside a cell never split it for the right separator.
_WRITER = csv.writer(_Line(), delimiter=CSV_DELIMITER, lineterminator="\r\n", quoting=csv.QUOTE_ALL)


def csv_header() -> str:
    return BOM + _WRITER.writerow([clean_cell(c.header) for c in columns()])


def csv_line(row: list[Cell]) -> str:
    return _WRITER.writerow([_csv_safe(_csv_value(v)) for v in row])


def csv_chunks(rows: Iterable[list[Cell]]) -> Iterator[str]:
    yield csv_header()
    for row in rows:
        yield csv_line(row)


# --- XLSX ----------------------------------------------------------------------------------------
# XlsxWriter in constant-memory mode: each row is written out as soon as the next one starts
# (twice as fast as openpyxl's write-only mode here). Text is always written as a string: a cell
# starting with "=" stays text, and control characters are escaped the way Excel reads them.
_XLSX_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}
_XLSX_FORMATS = {"date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm", "decimal": "0.00"}


def write_xlsx(rows: Iterable[list[Cell]], out: IO[bytes], title: str) -> int:
    """Write a one-sheet workbook (rows are not kept in memory); returns the number of rows."""
    cols = columns()
    wb = xlsxwriter.Workbook(out, _XLSX_OPTIONS)
    ws = wb.add_worksheet(title[:31])
    formats = {kind: wb.add_format({"num_format": f}) for kind, f in _XLSX_FORMATS.items()}
    bold = wb.add_format({"bold": True})
    for index, col in enumerate(cols):
        ws.set_column(index, index, col.width)
        ws.write_string(0, index, clean_cell(col.header), bold)
    ws.freeze_panes(1, 0)
    cell_formats = [formats.get(col.kind) for col in cols]
    count = 0
    for row in rows:
        count += 1
        for index, value in enumerate(row):
            if isinstance(value, str):
                if value:
                    ws.write_string(count, index, value)
            elif isinstance(value, dt.date):  # datetime too
                ws.write_datetime(count, index, value, cell_formats[index])
            elif isinstance(value, Decimal):
                ws.write_number(count, index, float(value), cell_formats[index])
            elif value is not None:
                ws.write_number(count, index, value, cell_formats[index])
    ws.autofilter(0, 0, count, len(cols) - 1)
    wb.close()
    return count


def xlsx_bytes(rows: Iterable[list[Cell]], title: str) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(rows, buffer, title)
    return buffer.getvalue()


# --- PDF -----------------------------------------------------------------------------------------
def _refuse_url(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    # The PDF is built from our own template only; nothing is fetched, not even local files.
    raise ValueError(f"URL fetching disabled in exports: {url[:60]}")


def pdf_document(
    rows: Iterable[list[Cell]], *, title: str, filter_text: str, total: int, generated: dt.datetime
) -> Any:
    """The laid-out WeasyPrint document (pages known); ``pdf_bytes`` writes it."""
    from weasyprint import HTML  # noqa: PLC0415 - WeasyPrint loads Pango; only PDF exports pay for it

    shown: list[list[str]] = []
    for row in rows:
        if len(shown) >= PDF_MAX_ROWS:
            break
        shown.append([_csv_value(v) for v in row])
    html = render_to_string(
        "issues/escalation/export_pdf.html",
        {
            "title": title,
            "generated": generated,
            "filter_text": filter_text,
            "headers": [c.header for c in columns()],
            "rows": shown,
            "total": total,
            "truncated": total > len(shown),
        },
    )
    return HTML(string=html, url_fetcher=_refuse_url).render()


def pdf_bytes(
    rows: Iterable[list[Cell]], *, title: str, filter_text: str, total: int, generated: dt.datetime
) -> bytes:
    document = pdf_document(
        rows, title=title, filter_text=filter_text, total=total, generated=generated
    )
    return bytes(document.write_pdf())
