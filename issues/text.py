"""Text hygiene: what every stored text is reduced to, so no writer further down is surprised.

openpyxl refuses control characters (one ``\\x01`` in a title made every XLSX export and digest
fail), XML and e-mail headers choke on them, PostgreSQL refuses NUL. Tab and newline are the only
control characters people mean; carriage returns become newlines. Unicode is NFC so that "ø"
typed on a Mac and on Windows is one string for search, duplicates and uniqueness.
"""

import re
import unicodedata

NUL = "\x00"
# C0 and C1 controls except tab and newline (carriage return included: it becomes a newline),
# DEL and the two non-characters XML 1.0 forbids: what stored text can hold but must not.
# exports_sql flags rows holding any of them, so the two stay one list.
STORABLE_CONTROLS = "\x01-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff"
# Those, NUL and lone surrogates (which PostgreSQL cannot store at all).
_UNWANTED_RE = re.compile(f"[\x00{STORABLE_CONTROLS}\ud800-\udfff]")


def clean_text(value: str) -> str:
    """``value`` with line ends unified, unwanted control characters removed and NFC applied."""
    if not value:
        return value
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    text = _UNWANTED_RE.sub("", text)
    return unicodedata.normalize("NFC", text)


def is_clean(value: str) -> bool:
    return clean_text(value) == value
