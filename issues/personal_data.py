"""Detect and mask Norwegian national identity numbers and bank account numbers. Pure functions.

Fødselsnummer and D-nummer: 11 digits DDMMYYIIIKK with two mod-11 check digits and a plausible date
(D-nummer adds 4 to the first digit; H-nummer and the Tax Administration's synthetic test numbers add
40 and 80 to the month). Kontonummer: 11 digits with one mod-11 check digit, often written
1234.56.78903 or 1234 56 78903. An 11-digit number that fails the checks (an order or invoice
number) is not personal data and is left alone.
"""

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal["national_id", "account_number"]

_FNR_W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_FNR_W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
_ACCOUNT_W = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)

# Digits not glued to other digits: "12345678901" or "123456 78901".
_FNR_RE = re.compile(r"(?<![\d.])(\d{6}) ?(\d{5})(?![\d]|\.\d)")
# "12345678903", "1234.56.78903" or "1234 56 78903" (one separator style throughout).
_ACCOUNT_RE = re.compile(r"(?<![\d.])(\d{4})([. ]?)(\d{2})\2(\d{5})(?![\d]|\.\d)")


# Both kinds of number have 11 digits; the last (two for a national ID) are mod-11 checks.
NUMBER_LENGTH = 11
MODULUS = 11
# Day + 40 is a D-nummer, month + 40 an H-nummer, month + 80 a synthetic test number.
D_NUMBER_OFFSET = H_NUMBER_OFFSET = 40
SYNTHETIC_OFFSET = 80


def _mod11(digits: str, weights: tuple[int, ...]) -> int | None:
    remainder = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % MODULUS
    check = MODULUS - remainder
    if check == MODULUS:
        return 0
    if check == MODULUS - 1:
        return None
    return check


def _plausible_birth_date(digits: str) -> bool:
    day, month = int(digits[0:2]), int(digits[2:4])
    if day > D_NUMBER_OFFSET:
        day -= D_NUMBER_OFFSET
    if month > SYNTHETIC_OFFSET:
        month -= SYNTHETIC_OFFSET
    elif month > H_NUMBER_OFFSET:
        month -= H_NUMBER_OFFSET
    try:
        dt.date(2000, month, day)  # a leap year, so 29 February passes
    except ValueError:
        return False
    return True


def is_national_id(number: str) -> bool:
    digits = number.replace(" ", "")
    if len(digits) != NUMBER_LENGTH or not digits.isdigit():
        return False
    if not _plausible_birth_date(digits):
        return False
    k1 = _mod11(digits[:9], _FNR_W1)
    if k1 is None or k1 != int(digits[9]):
        return False
    k2 = _mod11(digits[:10], _FNR_W2)
    return k2 is not None and k2 == int(digits[10])


def is_account_number(number: str) -> bool:
    digits = number.replace(" ", "").replace(".", "")
    if len(digits) != NUMBER_LENGTH or not digits.isdigit():
        return False
    check = _mod11(digits[:10], _ACCOUNT_W)
    return check is not None and check == int(digits[10])


@dataclass(frozen=True)
class Finding:
    kind: Kind
    start: int
    end: int
    text: str


def find_personal_data(text: str) -> list[Finding]:
    """Every national ID or account number in ``text``, in order, without overlaps."""
    findings: list[Finding] = []
    taken: list[tuple[int, int]] = []
    for match in _FNR_RE.finditer(text):
        if is_national_id(match.group(0)):
            findings.append(Finding("national_id", match.start(), match.end(), match.group(0)))
            taken.append((match.start(), match.end()))
    for match in _ACCOUNT_RE.finditer(text):
        if any(s < match.end() and match.start() < e for s, e in taken):
            continue
        if is_account_number(match.group(0)):
            findings.append(Finding("account_number", match.start(), match.end(), match.group(0)))
    return sorted(findings, key=lambda f: f.start)


def contains_personal_data(text: str) -> bool:
    return bool(find_personal_data(text))


def mask(text: str) -> str:
    """Replace each digit of every finding with ``*``, keeping separators so the shape stays."""
    if not text:
        return text
    parts: list[str] = []
    last = 0
    for finding in find_personal_data(text):
        parts.append(text[last : finding.start])
        parts.append(re.sub(r"\d", "*", finding.text))
        last = finding.end
    parts.append(text[last:])
    return "".join(parts)
