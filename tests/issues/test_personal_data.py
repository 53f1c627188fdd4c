import datetime as dt

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from issues.personal_data import (
    contains_personal_data,
    find_personal_data,
    is_account_number,
    is_national_id,
    mask,
)
from tests.issues.pd_numbers import account_number, first_national_id, national_id

FNR = first_national_id("010190")
DNR = first_national_id("410190")  # D-nummer: day + 40
ACCOUNT = "12345678903"


def test_known_valid_numbers() -> None:
    assert is_national_id(FNR)
    assert is_national_id(DNR)
    assert is_account_number(ACCOUNT)
    assert is_account_number("1234.56.78903")
    assert is_account_number("1234 56 78903")


@pytest.mark.parametrize(
    "text",
    [FNR, f"{FNR[:6]} {FNR[6:]}", DNR, ACCOUNT, "1234.56.78903", "1234 56 78903"],
)
def test_formats_are_found_and_masked(text: str) -> None:
    sentence = f"Gjelder {text}, se vedlegg."
    assert contains_personal_data(sentence)
    masked = mask(sentence)
    assert text not in masked
    assert masked.startswith("Gjelder ")
    assert masked.endswith(", se vedlegg.")
    assert not contains_personal_data(masked)


def test_impossible_date_is_not_a_national_id() -> None:
    # Valid check digits cannot rescue 31 February.
    numbers = [n for i in range(1000) if (n := national_id("310290", i))]
    assert len(numbers) > 100  # the loop below checks real candidates, not an empty list
    for number in numbers:
        assert not is_national_id(number)
    # The same individual numbers on a real date pass: the date alone decided.
    assert is_national_id(first_national_id("280290"))


def test_numbers_glued_to_other_digits_are_left_alone() -> None:
    assert find_personal_data(f"9{FNR}") == []
    assert find_personal_data(f"{ACCOUNT}7") == []


def _passes_a_check(number: str) -> bool:
    """Independent of issues.personal_data: check digits from tests/issues/pd_numbers.py."""
    as_national_id = national_id(number[:6], int(number[6:9])) == number
    return as_national_id or account_number(number[:10]) == number


@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
@example("12345678901")  # an order number from the report form's help text
def test_eleven_digit_numbers_failing_the_checks_stay(number: str) -> None:
    # Digits that fail every check digit are an order or invoice number, whatever the date.
    assume(not _passes_a_check(number))
    text = f"Ordrenummer {number} i Unit4"
    assert not is_national_id(number)
    assert not is_account_number(number)
    assert mask(text) == text


@given(st.text(alphabet="0123456789", min_size=10, max_size=10))
def test_eleven_digit_numbers_passing_a_check_are_masked(prefix: str) -> None:
    # Built to pass: the account check digit appended (about one prefix in eleven has none).
    number = account_number(prefix)
    assume(number is not None)
    assert number is not None
    text = f"Ordrenummer {number} i Unit4"
    assert is_account_number(number)
    assert number not in mask(text)


@given(
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)),
    st.integers(min_value=0, max_value=999),
    st.booleans(),
)
def test_every_valid_national_id_is_masked(date: dt.date, individual: int, d_number: bool) -> None:
    day = date.day + (40 if d_number else 0)
    number = national_id(f"{day:02d}{date.month:02d}{date.year % 100:02d}", individual)
    assume(number is not None)
    assert number is not None
    for written in (number, f"{number[:6]} {number[6:]}"):
        masked = mask(f"fnr: {written}.")
        assert written not in masked
        assert not any(ch.isdigit() for ch in masked)


@given(st.text(alphabet="0123456789", min_size=10, max_size=10))
def test_every_valid_account_number_is_masked_in_all_formats(prefix: str) -> None:
    number = account_number(prefix)
    assume(number is not None)
    assert number is not None
    for written in (
        number,
        f"{number[:4]}.{number[4:6]}.{number[6:]}",
        f"{number[:4]} {number[4:6]} {number[6:]}",
    ):
        assert written not in mask(f"Kontonr {written} (lønn)")


@given(st.text())
def test_mask_is_idempotent_and_keeps_length(text: str) -> None:
    once = mask(text)
    assert mask(once) == once
    assert len(once) == len(text)
