"""Guessing columns from headers (nb and en) and reading cells as Norwegian Excel writes them."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from issues.exports import columns
from issues.imports import (
    ANSWER_FIELDS,
    DEFECT_FIELDS,
    CellError,
    as_bool,
    as_date,
    as_decimal,
    as_int,
    columns_from_saved,
    guess_columns,
    normalise,
)
from priorities.rules import FACT_NAMES
from tests.issues.import_files import HEADERS_EN, HEADERS_NB

EXPECTED = [
    "title",
    "description",
    "area",
    "category",
    "institution",
    "status",
    "dfo_reference",
    "deadline",
    "extra_hours_per_week",
    "people_affected",
    *FACT_NAMES,
]


@pytest.mark.parametrize("headers", [HEADERS_NB, HEADERS_EN], ids=["nb", "en"])
def test_every_column_is_guessed_from_its_header(headers: list[str]) -> None:
    guessed = guess_columns(headers, DEFECT_FIELDS)
    assert [guessed.get(i) for i in range(len(headers))] == EXPECTED


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("TITTEL", "title"),
        ("Kort tittel", "title"),
        ("Hindrer lønn?", "blocks_pay"),
        ("Leverandørbetaling", "blocks_supplier_payment"),  # starts with "leverandor"
        ("Lønnsart", "blocks_pay"),  # prefix matching guesses; the user corrects
        ("Betaling til leverandører", "blocks_supplier_payment"),
        ("Merarbeid sentralt", "extra_work_central"),
        ("Merarbeid på fakultet", "extra_work_local"),
        ("blocks_reporting", "blocks_reporting"),
        ("Frustrasjon", "frustration"),
        ("Sakstype", "kind"),
        ("Kommentar", None),
    ],
)
def test_single_headers(header: str, field: str | None) -> None:
    assert guess_columns([header], DEFECT_FIELDS).get(0) == field


def test_each_field_goes_to_one_column_only() -> None:
    guessed = guess_columns(["Tittel", "Tittel (engelsk)", "Status", "DFØ-status"], DEFECT_FIELDS)
    assert guessed == {0: "title", 2: "status"}


def test_answer_sheet_columns_are_the_export_columns() -> None:
    headers = [c.header for c in columns()]
    guessed = guess_columns(headers, ANSWER_FIELDS)
    found = {name: headers[i] for i, name in guessed.items()}
    assert found == {
        "key": "Nøkkel",
        "version": "Versjon",
        "dfo_reference": "DFØ-referanse",
        "target_release": "Planlagt release",
        "dfo_status": "DFØ-status",
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1,5", Decimal("1.5")), ("1 234,50", Decimal("1234.50")), ("1.234,5", Decimal("1234.5"))],
)
def test_decimal_comma(text: str, expected: Decimal) -> None:
    assert as_decimal(text) == expected


@pytest.mark.parametrize("text", ["abc", "1,2,3", "NaN", "Infinity", "1e5x"])
def test_not_a_number(text: str) -> None:
    with pytest.raises(CellError):
        as_decimal(text)


def test_whole_numbers_only_for_counts() -> None:
    assert as_int("1 200") == 1200
    assert as_int(3.0) == 3
    with pytest.raises(CellError, match="helt tall"):
        as_int("2,5")


@pytest.mark.parametrize("text", ["31.02.2023", "29.02.2023", "00.01.2024", "01.13.2024"])
def test_impossible_dates(text: str) -> None:
    with pytest.raises(CellError, match=f"{text} er ikke en gyldig dato"):
        as_date(text)


def test_real_excel_dates_and_serials() -> None:
    assert as_date(dt.datetime(2024, 2, 29, 0, 0)) == dt.date(2024, 2, 29)  # noqa: DTZ001
    assert as_date(45351) == dt.date(2024, 2, 29)
    assert as_date("2024-02-29") == dt.date(2024, 2, 29)
    with pytest.raises(CellError, match="ikke en dato"):
        as_date("i morgen")


@pytest.mark.parametrize("text", ["Ja", "ja ", "JA", "x", "Yes", "1", "sant"])
def test_yes(text: str) -> None:
    assert as_bool(text) is True


@pytest.mark.parametrize("text", ["Nei", "nei", "No", "", "0", None])
def test_no(text: str | None) -> None:
    assert as_bool(text) is False


def test_neither_yes_nor_no() -> None:
    with pytest.raises(CellError, match="verken Ja eller Nei"):
        as_bool("kanskje")


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)))
def test_any_date_written_the_norwegian_way_reads_back(day: dt.date) -> None:
    assert as_date(day.strftime("%d.%m.%Y")) == day
    assert as_date(f"{day.day}.{day.month}.{day.year}") == day


@given(st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=2, allow_nan=False))
def test_any_amount_written_with_decimal_comma_reads_back(amount: Decimal) -> None:
    written = f"{amount:,.2f}".replace(",", " ").replace(".", ",")
    assert as_decimal(written) == amount


@given(st.text())
def test_any_text_either_parses_or_says_why(text: str) -> None:
    messages = []
    for reader in (as_decimal, as_int, as_date, as_bool):
        try:
            reader(text)
        except CellError as exc:  # anything else escaping is the failure this test looks for
            messages.append(str(exc))
    assert all(messages)


def test_saved_choices_follow_the_header_not_the_position() -> None:
    headers = ["Beskrivelse", "Sak", "Område", "Tittel"]
    saved = {"sak": "title", "omrade": "category"}
    columns = columns_from_saved(headers, saved, guess_columns(headers, DEFECT_FIELDS))
    # Saved choices win over the guess; the guess fills the rest, never a field taken twice.
    assert columns == {0: "description", 1: "title", 2: "category"}


@given(
    st.lists(st.sampled_from(["Tittel", "Sak", "Område", "Frist", "", "Title", "x"]), max_size=8),
    st.dictionaries(
        st.sampled_from(["tittel", "sak", "omrade", "frist", "x"]),
        st.sampled_from([f.name for f in DEFECT_FIELDS]),
    ),
)
def test_saved_and_guessed_columns_never_name_a_field_twice(
    headers: list[str], saved: dict[str, str]
) -> None:
    columns = columns_from_saved(headers, saved, guess_columns(headers, DEFECT_FIELDS))
    assert len(set(columns.values())) == len(columns)
    assert set(columns) <= set(range(len(headers)))
    wanted = [saved.get(normalise(h)) if h else None for h in headers]
    for index, field in enumerate(wanted):
        if field is not None and field not in wanted[:index]:
            assert columns[index] == field  # the first header saved for a field gets it
