"""Forms for imports: the upload, and the mapping step (which column is which field, and what each
unrecognised value means). They parse input only; services do the writing."""

import hashlib
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from issues.imports import REF_FIELDS, Field, as_text, normalise
from issues.models import Area, Category, DefectKind, DefectStatus, Institution, System
from issues.selectors.imports import ImportMapping
from issues.spreadsheets import Table

ACCEPT = ".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
REQUIRED_COLUMNS = ("title", "area")


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Regneark (XLSX eller CSV)"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT, "class": "ds-input"}),
    )

    def clean_file(self) -> Any:
        file = self.cleaned_data["file"]
        if file.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("Filen er større enn %(mb)s MB."),
                params={"mb": settings.IMPORT_MAX_BYTES // 1024**2},
            )
        return file


def value_key(field: str, text: str) -> str:
    """The form field for one unrecognised value: stable, and safe as an HTML id."""
    digest = hashlib.sha256(f"{field}\0{text}".encode()).hexdigest()[:16]
    return f"val-{field}-{digest}"


def _value_choices(field: str) -> list[tuple[str, str]]:
    blank = [("", str(_("— la feltet stå tomt —")))]
    if field == "area":
        return [(str(a.pk), f"{a.code} – {a.name}") for a in Area.objects.all()]
    if field == "category":
        cats = Category.objects.select_related("area")
        return blank + [(str(c.pk), f"{c.area.code} – {c.name}") for c in cats]
    if field == "system":
        return blank + [(str(s.pk), s.name) for s in System.objects.all()]
    if field == "institution":
        return [(str(i.pk), i.code) for i in Institution.objects.all()]
    if field == "kind":
        return [(v, str(label)) for v, label in DefectKind.choices]
    return [(v, str(label)) for v, label in DefectStatus.choices if v != DefectStatus.DUPLICATE]


class MappingForm(forms.Form):
    """One select per column of the file, then one per unrecognised value of a reference column."""

    def __init__(
        self,
        *args: Any,
        table: Table,
        fields: tuple[Field, ...],
        guessed: dict[int, str],
        unknown: dict[str, list[tuple[str, str]]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.table = table
        self.known_fields = fields
        choices = [("", _("— ikke importer —")), *((f.name, str(f.label)) for f in fields)]
        for index, header in enumerate(table.headers):
            self.fields[f"col-{index}"] = forms.ChoiceField(
                label=header or _("kolonne %(n)s") % {"n": index + 1},
                choices=choices,
                required=False,
                initial=guessed.get(index, ""),
                widget=forms.Select(attrs={"class": "ds-input"}),
            )
        self.value_fields: list[str] = []
        for field, texts in (unknown or {}).items():
            for key, text in texts:
                name = value_key(field, key)
                self.fields[name] = forms.ChoiceField(
                    label=f"{ {f.name: f.label for f in fields}[field] }: «{text}»",
                    choices=[("?", _("— velg —")), *_value_choices(field)],
                    required=False,
                    initial="?",
                    widget=forms.Select(attrs={"class": "ds-input"}),
                )
                self.value_fields.append(name)

    def column_fields(self) -> list[forms.BoundField]:
        return [self[f"col-{i}"] for i in range(len(self.table.headers))]

    def unknown_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.value_fields]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = [str(c) for i in range(len(self.table.headers)) if (c := data.get(f"col-{i}"))]
        twice = sorted({c for c in chosen if chosen.count(c) > 1})
        if twice:
            labels = {f.name: str(f.label) for f in self.known_fields}
            raise forms.ValidationError(
                _("Samme felt er valgt for flere kolonner: %(fields)s."),
                params={"fields": ", ".join(labels[c] for c in twice)},
            )
        missing = [name for name in REQUIRED_COLUMNS if name not in chosen]
        names = {f.name for f in self.known_fields}
        if any(m in names for m in missing):
            labels = {f.name: str(f.label) for f in self.known_fields}
            raise forms.ValidationError(
                _("Velg hvilken kolonne som er: %(fields)s."),
                params={"fields": ", ".join(labels[m] for m in missing if m in labels)},
            )
        return data


def initial_data(columns: dict[int, str], values: dict[str, dict[str, str]]) -> dict[str, str]:
    """The mapping form's data before the user has chosen: the columns, and for each reference
    field the choice per (normalised) text, as the form posts them."""
    data = {f"col-{i}": name for i, name in columns.items()}
    for field, chosen in values.items():
        data.update({value_key(field, key): choice for key, choice in chosen.items()})
    return data


def mapping_from_data(table: Table, data: Any, field_names: set[str]) -> ImportMapping:
    """The mapping in the posted form (or the guess): columns, then the values chosen per text.

    Values are found by walking the file's distinct texts in each mapped reference column, so a
    choice is kept only for text that is in the file.
    """
    columns = {
        i: data.get(f"col-{i}")
        for i in range(len(table.headers))
        if data.get(f"col-{i}") in field_names
    }
    values: dict[str, dict[str, str]] = {}
    for index, name in columns.items():
        if name not in REF_FIELDS:
            continue
        for key in {normalise(as_text(cells[index])) for _n, cells in table.rows}:
            chosen = data.get(value_key(name, key))
            if chosen is not None and chosen != "?":
                values.setdefault(name, {})[key] = chosen
    return ImportMapping(columns, values)
