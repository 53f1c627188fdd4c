"""Detect and mask Norwegian national identity numbers and bank account numbers. Pure functions.

Fødselsnummer and D-nummer: 11 digits DDMMYYIIIKK with two mod-11 check digits and a plausible date
(D-nummer adds 4 to the first digit; H-nummer and the Tax Administration's synthetic test numbers add
40 and 80 to the month). Kontonummer: 11 digits with one mod-11 check digit. An 11-digit number that
fails the checks (an order or invoice number) is not personal data and is left alone.

People write the digits in groups with whatever separator is at hand: ``1234.56.78903``,
``1234-56-78903``, ``010190-12345``, ``010190\u00a012345`` (a non-breaking space pasted from Word),
a tab or two spaces, and glue a prefix to the front (``f.nr.01019012345``, ``kontonr.1234...``).
So detection does not list formats: it finds runs of digit groups joined by short separators and
checks every run of whole groups that holds exactly 11 digits.
"""

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal
from urllib.parse import unquote_plus

Kind = Literal["national_id", "account_number"]

_FNR_W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_FNR_W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
_ACCOUNT_W = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)

# Between two digit groups: up to three of space, no-break spaces, tab, dot, hyphen and dashes.
SEPARATORS = " \u00a0\u202f\u2007\t.-\u2010\u2011\u2012\u2013\u2014\u2212"
_SEP = "[" + re.escape(SEPARATORS) + "]{1,3}"
# A run of digit groups; the groups themselves, each with its position.
_RUN_RE = re.compile(rf"\d+(?:{_SEP}\d+)*")
_GROUP_RE = re.compile(r"\d+")


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


def _digits(number: str) -> str:
    return "".join(c for c in number if c.isdigit())


def is_national_id(number: str) -> bool:
    digits = _digits(number)
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
    digits = _digits(number)
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


def _classify(text: str) -> Kind | None:
    if is_national_id(text):
        return "national_id"
    if is_account_number(text):
        return "account_number"
    return None


def _findings_in_run(text: str, start: int, end: int) -> Iterator[Finding]:
    """Windows of whole groups with exactly 11 digits inside one run, left to right, no overlap."""
    groups = [(m.start(), m.end()) for m in _GROUP_RE.finditer(text, start, end)]
    i = 0
    while i < len(groups):
        total, j = 0, i
        while j < len(groups) and total < NUMBER_LENGTH:
            total += groups[j][1] - groups[j][0]
            j += 1
        if total == NUMBER_LENGTH:
            begin, finish = groups[i][0], groups[j - 1][1]
            kind = _classify(text[begin:finish])
            if kind is not None:
                yield Finding(kind, begin, finish, text[begin:finish])
                i = j
                continue
        i += 1


def find_personal_data(text: str) -> list[Finding]:
    """Every national ID or account number in ``text``, in order, without overlaps."""
    findings: list[Finding] = []
    for run in _RUN_RE.finditer(text):
        if run.end() - run.start() >= NUMBER_LENGTH:
            findings.extend(_findings_in_run(text, run.start(), run.end()))
    return findings


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


def mask_url(text: str) -> str:
    """A path, query string or request line with the numbers masked, also when URL-encoded.

    ``?q=010190%C2%A012345`` hides the number from ``mask``; when decoding reveals one, the
    decoded, masked text is returned (the log then shows it readable but masked).
    """
    masked = mask(text)
    decoded = unquote_plus(masked)
    if decoded != masked and contains_personal_data(decoded):
        return mask(decoded)
    return masked
