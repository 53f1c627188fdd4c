"""Reading uploaded spreadsheets (XLSX, CSV) into rows of cells, safely. Pure: no ORM.

Everything that can go wrong with a hostile or broken file ends in ``SpreadsheetError`` with a
message for the user, before any row reaches the database: encrypted or corrupt workbooks, zip
bombs, too many rows or columns, over-long cells, text in an encoding we cannot tell. Formulas are
read as their text (``data_only=False``: openpyxl hands back ``"=SUM(A1)"``, and nothing here
evaluates it). XLSX is read with openpyxl's read-only mode (streamed from the zip, XML parsed
through defusedxml); CSV through ``csv.reader`` over a text stream.
"""

import codecs
import csv
import datetime as dt
import io
import warnings
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from issues.text import clean_text as hygienic_text

Cell = str | int | float | Decimal | bool | dt.date | dt.datetime | None

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted OOXML and old .xls are OLE2 files
ZIP_MAGIC = b"PK\x03\x04"
CSV_SUFFIXES = (".csv", ".txt")
ENCODINGS = ("utf-8", "cp1252")  # what Norwegian Excel writes: CSV UTF-8 (with BOM) or ANSI
CHUNK = 64 * 1024
DELIMITERS = (";", ",", "\t")
DIMENSION_PEEK = 64 * 1024


class SpreadsheetError(Exception):
    """The file cannot be read; ``message`` says why in the user's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Table:
    headers: list[str]
    # (row number as the user sees it in Excel, the cells in header order)
    rows: list[tuple[int, list[Cell]]]


def clean_text(value: str) -> str:
    """Text as it may enter the tracker (``issues.text``, as at every save), without surrounding
    space: a NUL from an ``_x0000_`` escape in the sheet goes too."""
    return hygienic_text(value).strip()


def read_table(path: Path, name: str) -> Table:
    """The first sheet of an XLSX, or a CSV, as a header row and data rows (empty rows dropped)."""
    with path.open("rb") as handle:
        magic = handle.read(8)
    if magic.startswith(OLE2_MAGIC):
        raise SpreadsheetError(
            _(
                "Filen er kryptert (passordbeskyttet) eller i det gamle .xls-formatet. "
                "Fjern passordet og lagre som .xlsx eller CSV."
            )
        )
    if magic.startswith(ZIP_MAGIC):
        return _read_xlsx(path)
    if name.lower().endswith(CSV_SUFFIXES):
        return _read_csv(path)
    raise SpreadsheetError(_("Ukjent filtype. Last opp en .xlsx- eller .csv-fil."))


def _too_many_rows() -> SpreadsheetError:
    return SpreadsheetError(
        _("Filen har flere enn %(limit)s rader. Del den opp i mindre filer.")
        % {"limit": settings.IMPORT_MAX_ROWS}
    )


def _check_cell(value: Cell, row: int, column: int) -> Cell:
    if isinstance(value, str):
        if len(value) > settings.IMPORT_MAX_CELL_CHARS:
            raise SpreadsheetError(
                _(
                    "Cellen i rad %(row)s, kolonne %(column)s har mer enn %(limit)s tegn. "
                    "Kort ned teksten."
                )
                % {"row": row, "column": column, "limit": settings.IMPORT_MAX_CELL_CHARS}
            )
        return clean_text(value)
    return value


def _collect(rows: Iterable[Sequence[Cell]]) -> Table:
    headers: list[str] | None = None
    data: list[tuple[int, list[Cell]]] = []
    for number, raw in enumerate(rows, start=1):
        if len(raw) > settings.IMPORT_MAX_COLUMNS and any(
            v not in (None, "") for v in raw[settings.IMPORT_MAX_COLUMNS :]
        ):
            raise SpreadsheetError(
                _("Filen har flere enn %(limit)s kolonner.")
                % {"limit": settings.IMPORT_MAX_COLUMNS}
            )
        cells = [
            _check_cell(v, number, i)
            for i, v in enumerate(raw[: settings.IMPORT_MAX_COLUMNS], start=1)
        ]
        if all(c in (None, "") for c in cells):
            continue
        if headers is None:
            headers = [str(c) if c is not None else "" for c in cells]
            continue
        if len(data) >= settings.IMPORT_MAX_ROWS:
            raise _too_many_rows()
        data.append((number, cells))
    if headers is None:
        raise SpreadsheetError(_("Filen er tom."))
    width = len(headers)
    return Table(headers, [(n, (c + [None] * width)[:width]) for n, c in data])


# --- XLSX ----------------------------------------------------------------------------------------
def _check_zip(path: Path) -> None:
    """Refuse zip bombs from the declared sizes; zipfile stops reading a part at its size."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise _corrupt() from exc
    unpacked = sum(i.file_size for i in infos)
    ratio = max((i.file_size / max(i.compress_size, 1) for i in infos), default=0)
    if (
        unpacked > settings.IMPORT_MAX_UNPACKED_BYTES
        or ratio > settings.IMPORT_MAX_COMPRESSION_RATIO
    ):
        raise SpreadsheetError(
            _("Filen pakkes ut til mye mer enn den er stor (en «zip-bombe»), og leses ikke.")
        )
    _check_dimensions(path, infos)


def _check_dimensions(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    """Refuse a large sheet without a ``<dimension>`` element: openpyxl's read-only mode would
    parse the whole sheet once just to look for one, before we can count a single row."""
    with zipfile.ZipFile(path) as archive:
        for info in infos:
            if not info.filename.startswith("xl/worksheets/") or (
                info.file_size <= settings.IMPORT_MAX_UNDIMENSIONED_BYTES
            ):
                continue
            with archive.open(info) as part:
                head = part.read(DIMENSION_PEEK)
            before_data = head.split(b"sheetData", 1)[0]
            if b"dimension" not in before_data:
                raise SpreadsheetError(
                    _(
                        "Arket oppgir ikke sin størrelse, slik Excel gjør. Åpne filen i Excel "
                        "og lagre den på nytt."
                    )
                )


def _corrupt() -> SpreadsheetError:
    return SpreadsheetError(
        _("Filen er skadet eller ikke en Excel-arbeidsbok. Åpne den i Excel og lagre på nytt.")
    )


def _read_xlsx(path: Path) -> Table:
    _check_zip(path)
    # A file object, not the path: openpyxl judges a path by its extension, and stored uploads
    # are named by their hash. Read-only mode reads from it lazily, so it stays open throughout.
    with path.open("rb") as handle:
        try:
            with warnings.catch_warnings():
                # openpyxl warns about unsupported extensions (data validation, styles): harmless.
                warnings.simplefilter("ignore")
                workbook = load_workbook(handle, read_only=True, data_only=False, keep_links=False)
        except Exception as exc:  # openpyxl raises anything from KeyError to its own exceptions
            raise _corrupt() from exc
        try:
            # Counted while streaming, not taken from the sheet's dimension tag (a claim):
            # a 1,000,000-row sheet stops after IMPORT_MAX_ROWS rows have been read.
            return _collect(workbook.worksheets[0].iter_rows(values_only=True))
        except SpreadsheetError:
            raise
        except Exception as exc:
            raise _corrupt() from exc
        finally:
            workbook.close()


# --- CSV -----------------------------------------------------------------------------------------
def _encoding(handle: BinaryIO) -> str:
    """UTF-8 (with or without BOM) or Windows-1252, decided over the whole file, streaming."""
    start = handle.read(4)
    handle.seek(0)
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in start:
        raise _unknown_encoding()
    for encoding in ENCODINGS:
        decoder = codecs.getincrementaldecoder(encoding)("strict")
        try:
            while chunk := handle.read(CHUNK):
                if b"\x00" in chunk:
                    raise _unknown_encoding()
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            handle.seek(0)
            continue
        handle.seek(0)
        return "utf-8-sig" if encoding == "utf-8" else encoding
    raise _unknown_encoding()


def _unknown_encoding() -> SpreadsheetError:
    return SpreadsheetError(
        _(
            "Tegnkodingen i CSV-filen er ukjent. Lagre den fra Excel som «CSV UTF-8» "
            "eller «CSV (semikolondelt)»."
        )
    )


def _read_csv(path: Path) -> Table:
    # The csv module's own limit is process-wide; ours is per cell and checked in _check_cell.
    csv.field_size_limit(max(csv.field_size_limit(), settings.IMPORT_MAX_CELL_CHARS + 1))
    with path.open("rb") as raw:
        encoding = _encoding(raw)
        text = io.TextIOWrapper(raw, encoding=encoding, newline="")
        first = text.readline()
        counts = {d: first.count(d) for d in DELIMITERS}
        delimiter = max(DELIMITERS, key=lambda d: counts[d])
        text.seek(0)
        try:
            return _collect(csv.reader(text, delimiter=delimiter))
        except csv.Error as exc:
            raise SpreadsheetError(
                _("CSV-filen kan ikke leses (%(reason)s). En celle kan være for lang.")
                % {"reason": str(exc)[:120]}
            ) from exc
