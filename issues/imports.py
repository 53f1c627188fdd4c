"""Spreadsheet columns for imports: which fields a sheet may carry, guessing them from headers in
bokmål and English, and reading cell values as Norwegian Excel writes them. Pure: no ORM.

Header guessing: a header is normalised (case-folded, æøå spelt ae/o/a, punctuation to spaces).
A header equal to one of a field's phrases scores highest; otherwise the longest phrase whose words
begin consecutive header words wins ("Hindrer feilen rett lønn ...?" has "rett lonn";
"leverandor" finds "leverandorer"). Each field is given
to the best-scoring header only, each header to one field; the user corrects the rest.
"""

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import cast

from django.utils.functional import Promise, lazy
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel

from issues.spreadsheets import Cell
from priorities.rules import FACT_NAMES, FACTS_BY_NAME


def _fact_label(name: str) -> Promise:
    """The rule's own wording for a fact, in the user's language when the label is shown."""
    fact = FACTS_BY_NAME[name]

    def text() -> str:
        return fact.reason_en if (get_language() or "nb").startswith("en") else fact.reason_nb

    return cast(Promise, lazy(text, str)())


@dataclass(frozen=True)
class Field:
    name: str
    label: Promise | str
    kind: str  # text | bool | decimal | int | date | ref
    phrases: tuple[str, ...]


DEFECT_FIELDS: tuple[Field, ...] = (
    Field("title", gettext_lazy("Tittel"), "text", ("tittel", "title", "overskrift", "summary")),
    Field("description", gettext_lazy("Beskrivelse"), "text", ("beskrivelse", "description")),
    Field("area", gettext_lazy("Område"), "ref", ("omrade", "area", "prosessomrade")),
    Field("category", gettext_lazy("Kategori"), "ref", ("kategori", "category")),
    Field("system", gettext_lazy("System"), "ref", ("system",)),
    Field(
        "institution",
        gettext_lazy("Institusjon"),
        "ref",
        ("institusjon", "institution", "universitet", "university"),
    ),
    Field("kind", gettext_lazy("Type"), "ref", ("type", "kind", "sakstype")),
    Field("status", gettext_lazy("Status"), "ref", ("status",)),
    Field(
        "dfo_reference",
        gettext_lazy("DFØ-referanse"),
        "text",
        ("dfo referanse", "dfo reference", "dfo ref", "dfo saksnummer", "dfo sak", "dfo case"),
    ),
    Field(
        "extra_hours_per_week",
        gettext_lazy("Ekstra timer per uke"),
        "decimal",
        ("ekstra timer", "extra hours", "timer per uke", "hours per week"),
    ),
    Field(
        "people_affected",
        gettext_lazy("Berørte personer"),
        "int",
        ("berorte personer", "antall berorte", "people affected", "affected people"),
    ),
    Field("workaround", gettext_lazy("Midlertidig løsning"), "text", ("midlertidig", "workaround")),
    Field(
        "workaround_hours_per_week",
        gettext_lazy("Kostnad for midlertidig løsning (timer per uke)"),
        "decimal",
        ("kostnad for midlertidig", "workaround cost", "workaround hours"),
    ),
    Field("deadline", gettext_lazy("Frist"), "date", ("frist", "deadline")),
    Field("confidential", gettext_lazy("Fortrolig"), "bool", ("fortrolig", "confidential")),
    Field(
        "blocks_pay",
        _fact_label("blocks_pay"),
        "bool",
        ("rett lonn", "lonn", "blocks pay", "right pay", "pay"),
    ),
    Field(
        "blocks_delivery",
        _fact_label("blocks_delivery"),
        "bool",
        ("rett leveranse", "leveranse", "blocks delivery", "right delivery", "delivery"),
    ),
    Field(
        "blocks_supplier_payment",
        _fact_label("blocks_supplier_payment"),
        "bool",
        ("betaling til leverandor", "payment to supplier", "leverandor", "supplier"),
    ),
    Field(
        "blocks_reporting",
        _fact_label("blocks_reporting"),
        "bool",
        (
            "hindrer rapportering",
            "myndighetsrapportering",
            "rapportering",
            "blocks reporting",
            "reporting",
        ),
    ),
    Field(
        "extra_work_local",
        _fact_label("extra_work_local"),
        "bool",
        (
            "merarbeid lokalt",
            "extra work local",
            "merarbeid",
            "fakultet",
            "extra work",
        ),
    ),
    Field(
        "extra_work_central",
        _fact_label("extra_work_central"),
        "bool",
        ("merarbeid sentralt", "extra work central", "extra work centrally"),
    ),
    Field(
        "frustration",
        _fact_label("frustration"),
        "bool",
        ("frustrasjon", "frustration"),
    ),
)

# The answer sheet DFØ sends back: the escalation export's columns (issues.exports.columns).
ANSWER_FIELDS: tuple[Field, ...] = (
    Field("key", gettext_lazy("Nøkkel"), "text", ("nokkel", "key", "bott nokkel")),
    Field("version", gettext_lazy("Versjon"), "int", ("versjon", "version")),
    Field(
        "dfo_reference",
        gettext_lazy("DFØ-referanse"),
        "text",
        ("dfo referanse", "dfo reference", "dfo saksnummer", "saksnummer", "case number"),
    ),
    Field(
        "target_release",
        gettext_lazy("Planlagt release"),
        "text",
        ("planlagt release", "target release", "release"),
    ),
    Field("dfo_status", gettext_lazy("DFØ-status"), "text", ("dfo status", "status hos dfo")),
)

# Whichever of these columns the user maps decides what each row may hold; facts are separate.
FACT_FIELDS = frozenset(FACT_NAMES)
REF_FIELDS = ("area", "category", "system", "institution", "kind", "status")

_SPELLING = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "é": "e"})
_NON_WORD = re.compile(r"[^a-z0-9]+")


def normalise(text: str) -> str:
    return " ".join(_NON_WORD.sub(" ", text.casefold().translate(_SPELLING)).split())


def _score(header: str, phrase: str) -> int:
    """1000+ for the whole header, else the phrase's length if its words start consecutive
    header words (so "leverandor" finds "leverandorer"), else 0."""
    if header == phrase:
        return 1000 + len(phrase)
    words, wanted = header.split(), phrase.split()
    for start in range(len(words) - len(wanted) + 1):
        if all(words[start + i].startswith(w) for i, w in enumerate(wanted)):
            return len(phrase)
    return 0


def guess_columns(headers: Sequence[str], fields: Sequence[Field]) -> dict[int, str]:
    """Column index -> field name, for the headers we recognise."""
    scored: list[tuple[int, int, str]] = []
    for index, header in enumerate(headers):
        text = normalise(header)
        for field in fields:
            best = max(
                (_score(text, normalise(p)) for p in (field.name, *field.phrases)), default=0
            )
            if best:
                scored.append((best, index, field.name))
    mapping: dict[int, str] = {}
    for _score_value, index, name in sorted(scored, key=lambda s: (-s[0], s[1])):
        if index not in mapping and name not in mapping.values():
            mapping[index] = name
    return mapping


def columns_from_saved(
    headers: Sequence[str], saved: Mapping[str, str], guessed: Mapping[int, str]
) -> dict[int, str]:
    """Column index -> field name: a header the saved mapping knows (by its normalised text)
    keeps the field chosen for it last time, even in another position; the others fall back to
    the guess, for fields not already taken."""
    columns: dict[int, str] = {}
    for index, header in enumerate(headers):
        name = saved.get(normalise(header)) if header else None
        if name and name not in columns.values():
            columns[index] = name
    for index, name in sorted(guessed.items()):
        if index not in columns and name not in columns.values():
            columns[index] = name
    return columns


# --- cell values ---------------------------------------------------------------------------------
class CellError(ValueError):
    """A cell that cannot be read as its column's type; the message is for the user."""


YES = frozenset({"ja", "j", "yes", "y", "x", "1", "sant", "true"})
NO = frozenset({"nei", "n", "no", "0", "usant", "false", ""})
_DATE_NB = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
# Excel serial numbers for 1990-01-01 .. 2100-01-01: a date cell that lost its date format.
EXCEL_SERIAL_RANGE = (32874, 73051)


def as_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    return str(value)


def as_bool(value: Cell) -> bool:
    if isinstance(value, bool):
        return value
    text = normalise(as_text(value))
    if text in YES:
        return True
    if text in NO:
        return False
    raise CellError(_("«%(value)s» er verken Ja eller Nei.") % {"value": as_text(value)[:40]})


def as_decimal(value: Cell) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise CellError(_("«%(value)s» er ikke et tall.") % {"value": value})
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    text = as_text(value).replace("\u00a0", "").replace(" ", "")
    if "," in text:
        # Norwegian: "1.234,5" or "1 234,5" -> 1234.5
        text = text.replace(".", "").replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise CellError(_("«%(value)s» er ikke et tall.") % {"value": as_text(value)[:40]}) from exc
    if not number.is_finite():
        raise CellError(_("«%(value)s» er ikke et tall.") % {"value": as_text(value)[:40]})
    return number


def as_int(value: Cell) -> int | None:
    number = as_decimal(value)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise CellError(_("«%(value)s» er ikke et helt tall.") % {"value": as_text(value)[:40]})
    return int(number)


def as_date(value: Cell) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and EXCEL_SERIAL_RANGE[0] <= value <= EXCEL_SERIAL_RANGE[1]
    ):
        return from_excel(value).date()
    text = as_text(value).strip()
    match = _DATE_NB.match(text)
    parts = (match.group(3), match.group(2), match.group(1)) if match else None
    iso = _DATE_ISO.match(text)
    if iso:
        parts = (iso.group(1), iso.group(2), iso.group(3))
    if parts is None:
        raise CellError(_("«%(value)s» er ikke en dato (skriv dd.mm.åååå).") % {"value": text[:40]})
    try:
        return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError as exc:
        raise CellError(_("%(value)s er ikke en gyldig dato.") % {"value": text[:40]}) from exc


def read_cell(field: Field, value: Cell) -> object:
    """The cell as the field's Python type; ``ref`` fields stay text (resolved by the caller)."""
    readers = {"bool": as_bool, "decimal": as_decimal, "int": as_int, "date": as_date}
    reader = readers.get(field.kind)
    return reader(value) if reader else as_text(value).strip()


def fields_by_name(fields: Sequence[Field]) -> Mapping[str, Field]:
    return {f.name: f for f in fields}
