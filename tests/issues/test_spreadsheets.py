"""Reading uploaded spreadsheets: what Norwegian Excel writes, and hostile files refused."""

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from pytest_django.fixtures import Settings as SettingsWrapper

from issues.spreadsheets import SpreadsheetError, clean_text, read_table
from tests.issues.import_files import (
    HEADERS_NB,
    many_rows_xlsx,
    row,
    write_csv,
    write_xlsx,
    zip_bomb_xlsx,
)


def test_xlsx_is_read_with_real_dates_and_numbers(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "a.xlsx", [row("Faktura", deadline=dt.date(2024, 3, 1), hours=1.5)]
    )
    table = read_table(path, "a.xlsx")
    assert table.headers == HEADERS_NB
    number, cells = table.rows[0]
    assert number == 2
    assert cells[0] == "Faktura"
    assert cells[7] == dt.datetime(2024, 3, 1)  # noqa: DTZ001 - spreadsheets have no zones
    assert cells[8] == 1.5


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp1252"])
def test_csv_in_both_excel_encodings(tmp_path: Path, encoding: str) -> None:
    path = write_csv(tmp_path / "a.csv", [row("Lønn for sent – «æøå»")], encoding=encoding)
    table = read_table(path, "a.csv")
    assert table.headers[2] == "Område"
    assert table.rows[0][1][0] == "Lønn for sent – «æøå»"
    assert table.rows[0][1][8] == "1,5"


def test_formulas_are_read_as_their_text(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.append(["Tittel", "Område"])
    wb.active.append(['=HYPERLINK("http://x","klikk")', "=1+1"])
    wb.save(tmp_path / "f.xlsx")
    cells = read_table(tmp_path / "f.xlsx", "f.xlsx").rows[0][1]
    assert cells == ['=HYPERLINK("http://x","klikk")', "=1+1"]


def test_encrypted_workbook_is_refused(tmp_path: Path) -> None:
    # Password-protected OOXML is an OLE2 compound file, not a zip.
    path = tmp_path / "kryptert.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096)
    with pytest.raises(SpreadsheetError, match="kryptert"):
        read_table(path, path.name)


def test_corrupt_workbook_is_refused(tmp_path: Path) -> None:
    good = write_xlsx(tmp_path / "good.xlsx", [row("x")]).read_bytes()
    path = tmp_path / "skadet.xlsx"
    path.write_bytes(good[: len(good) // 2])
    with pytest.raises(SpreadsheetError, match="skadet"):
        read_table(path, path.name)


def test_zip_without_a_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hei")
    with pytest.raises(SpreadsheetError, match="skadet"):
        read_table(path, path.name)


def test_zip_bomb_is_refused_before_unpacking(tmp_path: Path) -> None:
    path = zip_bomb_xlsx(tmp_path / "bombe.xlsx")
    assert path.stat().st_size < 1024 * 1024
    with pytest.raises(SpreadsheetError, match="zip-bombe"):
        read_table(path, path.name)


def test_a_million_rows_stop_at_the_limit(tmp_path: Path, settings: SettingsWrapper) -> None:
    many_rows_xlsx(tmp_path / "stor.xlsx", 1_000_000)
    with pytest.raises(SpreadsheetError, match="flere enn 20000 rader"):
        read_table(tmp_path / "stor.xlsx", "stor.xlsx")


def test_row_limit_is_a_setting(tmp_path: Path, settings: SettingsWrapper) -> None:
    settings.IMPORT_MAX_ROWS = 2
    path = write_csv(tmp_path / "a.csv", [row("a"), row("b"), row("c")])
    with pytest.raises(SpreadsheetError, match="flere enn 2 rader"):
        read_table(path, path.name)


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_a_column_of_10_mb_text_is_refused(tmp_path: Path, suffix: str) -> None:
    huge = "x" * (10 * 1024 * 1024)
    rows = [row("ok", description=huge)]
    path = (write_csv if suffix == "csv" else write_xlsx)(tmp_path / f"a.{suffix}", rows)
    with pytest.raises(SpreadsheetError, match=r"(for lang|mer enn 20000 tegn)"):
        read_table(path, path.name)


@pytest.mark.parametrize(
    "content",
    [
        "Tittel;Område\r\nFaktura;BTB\r\n".encode("utf-16"),
        b"Tittel;Omr\x81de\r\nFaktura;BTB\r\n",  # 0x81 is undefined in Windows-1252
        b"Tittel;Omr\x00de\r\n",
    ],
    ids=["utf-16", "not-cp1252", "binary"],
)
def test_csv_in_an_unknown_encoding_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    with pytest.raises(SpreadsheetError, match="Tegnkodingen"):
        read_table(path, path.name)


def test_unknown_file_type_and_empty_file(tmp_path: Path) -> None:
    (tmp_path / "x.pdf").write_bytes(b"%PDF-1.4")
    with pytest.raises(SpreadsheetError, match="Ukjent filtype"):
        read_table(tmp_path / "x.pdf", "x.pdf")
    (tmp_path / "tom.csv").write_bytes(b"")
    with pytest.raises(SpreadsheetError, match="tom"):
        read_table(tmp_path / "tom.csv", "tom.csv")


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_cleaned_text_has_no_control_characters(text: str) -> None:
    cleaned = clean_text(text)
    assert not any(ord(c) < 0x20 and c not in "\t\n\r" for c in cleaned)
    assert "\x7f" not in cleaned
    assert cleaned == cleaned.strip()
    assert clean_text(cleaned) == cleaned


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        # A file holds encoded text: lone surrogates (Cs) cannot be written to one at all.
        st.text(
            alphabet=st.characters(codec="utf-8", blacklist_characters="\x00"),
            max_size=50,
        ),
        min_size=1,
        max_size=5,
    )
)
def test_any_cell_text_survives_a_csv_round_trip(
    tmp_path_factory: pytest.TempPathFactory, cells: list[str]
) -> None:
    path = tmp_path_factory.mktemp("h") / "h.csv"
    headers = [f"k{i}" for i in range(len(cells))]
    write_csv(path, [cells], headers=headers)
    table = read_table(path, path.name)
    expected = [clean_text(c) for c in cells]
    if all(c == "" for c in expected):
        assert table.rows == []
    else:
        assert table.rows[0][1] == expected


def test_unpacked_size_limit_is_a_setting(tmp_path: Path, settings: SettingsWrapper) -> None:
    settings.IMPORT_MAX_UNPACKED_BYTES = 1024
    path = write_xlsx(tmp_path / "a.xlsx", [row("Faktura")])
    with pytest.raises(SpreadsheetError, match="zip-bombe"):
        read_table(path, path.name)


def test_minimal_workbook_is_read(tmp_path: Path) -> None:
    table = read_table(many_rows_xlsx(tmp_path / "m.xlsx", 3), "m.xlsx")
    assert table.headers == ["Tittel", "Område"]
    assert [cells[0] for _n, cells in table.rows] == [2, 3, 4]


def test_a_large_sheet_without_its_size_is_refused_before_parsing(
    tmp_path: Path, settings: SettingsWrapper
) -> None:
    settings.IMPORT_MAX_UNDIMENSIONED_BYTES = 1024 * 1024
    path = many_rows_xlsx(tmp_path / "udimensjonert.xlsx", 100_000, dimension=False)
    with pytest.raises(SpreadsheetError, match="oppgir ikke sin størrelse"):
        read_table(path, path.name)


def test_a_small_sheet_without_its_size_is_read(tmp_path: Path) -> None:
    # openpyxl's write-only mode (our own XLSX export) writes no <dimension>.
    table = read_table(many_rows_xlsx(tmp_path / "m.xlsx", 5, dimension=False), "m.xlsx")
    assert len(table.rows) == 5
