import datetime as dt

import pytest
from hypothesis import given
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
    for i in range(1000):
        number = national_id("310290", i)
        if number:
            assert not is_national_id(number)


def test_numbers_glued_to_other_digits_are_left_alone() -> None:
    assert find_personal_data(f"9{FNR}") == []
    assert find_personal_data(f"{ACCOUNT}7") == []


@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_eleven_digit_numbers_failing_the_checks_stay(number: str) -> None:
    text = f"Ordrenummer {number} i Unit4"
    if not is_national_id(number) and not is_account_number(number):
        assert mask(text) == text
    else:
        assert number not in mask(text)


@given(
    st.dates().filter(lambda d: 1900 <= d.year <= 2099),
    st.integers(min_value=0, max_value=999),
    st.booleans(),
)
def test_every_valid_national_id_is_masked(date: dt.date, individual: int, d_number: bool) -> None:
    day = date.day + (40 if d_number else 0)
    number = national_id(f"{day:02d}{date.month:02d}{date.year % 100:02d}", individual)
    if number is None:
        return
    for written in (number, f"{number[:6]} {number[6:]}"):
        masked = mask(f"fnr: {written}.")
        assert written not in masked
        assert not any(ch.isdigit() for ch in masked)


@given(st.text(alphabet="0123456789", min_size=10, max_size=10))
def test_every_valid_account_number_is_masked_in_all_formats(prefix: str) -> None:
    number = account_number(prefix)
    if number is None:
        return
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
