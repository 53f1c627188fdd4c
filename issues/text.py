"""Text hygiene: what every stored text is reduced to, so no writer further down is surprised.

openpyxl refuses control characters (one ``\\x01`` in a title made every XLSX export and digest
fail), XML and e-mail headers choke on them, PostgreSQL refuses NUL. Tab and newline are the only
control characters people mean; carriage returns become newlines. Unicode is NFC so that "ø"
typed on a Mac and on Windows is one string for search, duplicates and uniqueness.
"""

import re
import unicodedata

NUL = "\x00"
# C0 and C1 controls except tab and newline, DEL, lone surrogates and the two non-characters
# XML 1.0 forbids.
_UNWANTED_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(value: str) -> str:
    """``value`` with line ends unified, unwanted control characters removed and NFC applied."""
    if not value:
        return value
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    text = _UNWANTED_RE.sub("", text)
    return unicodedata.normalize("NFC", text)


def is_clean(value: str) -> bool:
    return clean_text(value) == value
