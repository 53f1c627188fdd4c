"""The dry run of a defect-list import: every row validated with the rules ``defect_create``
applies, in memory, plus the existing defects each row probably duplicates.

Speed: reference data is loaded once; a row costs no query of its own. Duplicates are found with
one query for all DFØ references and one for all titles; the suggestion search
(``similar_defects``) runs per row only for files up to ``IMPORT_SUGGEST_MAX_ROWS`` rows.
"""

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from issues import permissions, workflow
from issues.imports import DEFECT_FIELDS, FACT_FIELDS, CellError, fields_by_name, normalise
from issues.imports import read_cell as read_value
from issues.models import (
    Area,
    Category,
    Defect,
    DefectKind,
    DefectStatus,
    ImportUpload,
    Institution,
    System,
    User,
)
from issues.personal_data import mask
from issues.selectors.reporting import similar_defects
from issues.services.defects import check_limits, derive_fields
from issues.spreadsheets import Cell, Table
from priorities.rules import FACT_NAMES

FIELDS = fields_by_name(DEFECT_FIELDS)
# Model fields full_clean must not check row by row: the foreign keys were resolved from objects
# loaded once (checking them would cost a query each), the rest are set by the service.
CLEAN_EXCLUDE = ["reporter", "created_at", "updated_at", "area", "category", "system"]
CLEAN_EXCLUDE += ["institution", "unit", "owner", "target_release", "duplicate_of", "override_by"]
# One query per kind of duplicate for any file up to this many rows: each query scans the table
# once (lower(title) has no index; a hashed IN list makes the scan one pass, not one per chunk).
QUERY_CHUNK = 10_000


@dataclass(frozen=True)
class ImportMapping:
    """Column index -> field name, and per reference field: the file's text -> our value."""

    columns: dict[int, str]
    values: dict[str, dict[str, str]] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"columns": {str(k): v for k, v in self.columns.items()}, "values": self.values}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "ImportMapping":
        columns = {int(k): str(v) for k, v in dict(data.get("columns", {})).items()}
        values = {str(f): dict(v) for f, v in dict(data.get("values", {})).items()}
        return cls(columns, values)


@dataclass(frozen=True)
class Duplicate:
    key: str
    title: str
    why: str


@dataclass
class PlannedRow:
    number: int
    title: str = ""
    create: dict[str, Any] = field(default_factory=dict)
    status: str = DefectStatus.NEW
    dfo_reference: str = ""
    tier: int | None = None
    reasons: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    existing_key: str = ""  # the DFØ reference is already on this defect: the row is skipped


@dataclass
class DryRun:
    headers: list[str]
    mapping: ImportMapping
    rows: list[PlannedRow]
    # Reference field -> (normalised text, text as in the file) for values we did not recognise.
    unknown: dict[str, list[tuple[str, str]]]

    @property
    def error_rows(self) -> list[PlannedRow]:
        return [r for r in self.rows if r.errors]

    @property
    def to_create(self) -> list[PlannedRow]:
        return [r for r in self.rows if not r.errors and not r.existing_key]

    @property
    def skipped(self) -> list[PlannedRow]:
        return [r for r in self.rows if r.existing_key]


def visible_upload(*, user: User, pk: int) -> ImportUpload | None:
    """An upload is the uploader's only: nobody else may see the file's rows."""
    return ImportUpload.objects.filter(pk=pk, uploaded_by=user).first()


class References:
    """Every choice a reference column may name, keyed by its normalised code and names."""

    def __init__(self) -> None:
        self.choices: dict[str, dict[str, Any]] = {
            "area": {},
            "system": {},
            "institution": {},
            "kind": {},
            "status": {},
        }
        self.categories: dict[tuple[int, str], Category] = {}
        self.category_by_pk: dict[str, Category] = {}
        for model, name in ((Area, "area"), (System, "system")):
            for obj in model.objects.all():
                for text in (obj.code, obj.name_nb, obj.name_en):
                    self._add(name, text, obj)
        for inst in Institution.objects.all():
            self._add("institution", inst.code, inst)
            self._add("institution", inst.name, inst)
        for cat in Category.objects.select_related("area"):
            self.category_by_pk[str(cat.pk)] = cat
            for text in (cat.code, cat.name_nb, cat.name_en):
                if text:
                    self.categories[(cat.area_id, normalise(text))] = cat
        for choices, name in ((DefectKind.choices, "kind"), (DefectStatus.choices, "status")):
            for value, label in choices:
                self._add(name, value, value)
                for language in ("nb", "en"):
                    with translation.override(language):
                        self._add(name, str(label), value)

    def _add(self, name: str, text: str, value: Any) -> None:
        if text:
            self.choices[name].setdefault(normalise(text), value)

    def by_choice(self, name: str, chosen: str) -> Any:
        """The object/value the user chose in the value mapping (a pk or a code)."""
        if name == "category":
            return self.category_by_pk.get(chosen)
        for value in self.choices[name].values():
            if str(getattr(value, "pk", value)) == chosen:
                return value
        return None


# Statuses an import may give a row, reached from "new" through the workflow by management.
def status_path(target: str) -> list[str] | None:
    """Shortest chain of workflow steps from "new" to ``target`` that management may take."""
    roles = workflow.MANAGEMENT
    queue: deque[list[str]] = deque([[DefectStatus.NEW]])
    seen = {DefectStatus.NEW.value}
    while queue:
        path = queue.popleft()
        if path[-1] == target:
            return path[1:]
        for nxt in workflow.allowed_targets(path[-1], roles):
            if nxt not in seen and nxt != DefectStatus.DUPLICATE:
                seen.add(nxt)
                queue.append([*path, nxt])
    return None


class _RowReader:
    def __init__(self, actor: User, table: Table, mapping: ImportMapping) -> None:
        self.actor = actor
        self.table = table
        self.mapping = mapping
        self.refs = References()
        self.unknown: dict[str, dict[str, str]] = {}
        self.now = timezone.now()

    def header(self, index: int) -> str:
        return self.table.headers[index] or _("kolonne %(n)s") % {"n": index + 1}

    def resolve(self, name: str, text: str, area: Area | None) -> tuple[Any, bool]:
        """(value, known); an empty cell is (None, True)."""
        key = normalise(text)
        if not key:
            return None, True
        found: Any = None
        if name == "category":
            found = self.refs.categories.get((area.pk, key)) if area else None
        else:
            found = self.refs.choices[name].get(key)
        if found is not None:
            return found, True
        # Listed whether chosen or not, so the page keeps showing (and re-sending) the choice.
        self.unknown.setdefault(name, {}).setdefault(key, text.strip())
        chosen = self.mapping.values.get(name, {}).get(key)
        if chosen == "":
            return None, True
        if chosen is not None:
            found = self.refs.by_choice(name, chosen)
            return found, found is not None
        return None, False

    def plan(self, number: int, cells: list[Cell]) -> PlannedRow:
        row = PlannedRow(number)
        raw: dict[str, Any] = {}
        for index, name in self.mapping.columns.items():
            try:
                raw[name] = read_value(FIELDS[name], cells[index])
            except CellError as exc:
                row.errors.append(f"{self.header(index)}: {exc}")
        refs = self._resolve_refs(raw, row)
        if row.errors:
            row.title = mask(str(raw.get("title", "")))[:200]
            return row
        self._validate(row, raw, refs)
        return row

    def _resolve_refs(self, raw: dict[str, Any], row: PlannedRow) -> dict[str, Any]:
        refs: dict[str, Any] = {}
        for name in ("area", "system", "institution", "kind", "status", "category"):
            if name not in raw:
                continue
            value, known = self.resolve(name, raw[name], refs.get("area"))
            if not known:
                row.errors.append(
                    _(
                        "%(field)s: «%(value)s» finnes ikke her. Velg hva det betyr under «Ukjente verdier»."
                    )
                    % {"field": FIELDS[name].label, "value": raw[name][:60]}
                )
            refs[name] = value
        return refs

    def _validate(self, row: PlannedRow, raw: dict[str, Any], refs: dict[str, Any]) -> None:
        """The checks of defect_create, on an unsaved Defect built the same way."""
        institution = refs.get("institution") or self.actor.institution
        create: dict[str, Any] = {
            "title": str(raw.get("title", "")).strip(),
            "description": raw.get("description", ""),
            "kind": refs.get("kind") or DefectKind.BUG,
            "area": refs.get("area"),
            "category": refs.get("category"),
            "system": refs.get("system"),
            "institution": institution,
            "facts": {n: bool(raw.get(n, False)) for n in FACT_NAMES if n in FACT_FIELDS},
            "extra_hours_per_week": raw.get("extra_hours_per_week") or 0,
            "people_affected": 1 if raw.get("people_affected") is None else raw["people_affected"],
            "workaround": raw.get("workaround", ""),
            "workaround_hours_per_week": raw.get("workaround_hours_per_week"),
            "deadline": raw.get("deadline"),
            "confidential": bool(raw.get("confidential", False)),
        }
        row.status = refs.get("status") or DefectStatus.NEW
        row.dfo_reference = mask(str(raw.get("dfo_reference", "")))
        defect = build_defect(reporter=self.actor, now=self.now, **create)
        defect.dfo_reference = row.dfo_reference
        derive_fields(defect)
        row.title, row.tier = defect.title, defect.tier
        row.reasons = defect.reason_texts()
        if create["area"] is None:
            row.errors.append(_("Område mangler. Hver rad må ha et område."))
        if institution is None:
            row.errors.append(_("Institusjon mangler."))
        cat = create["category"]
        if cat is not None and create["area"] is not None and cat.area_id != create["area"].pk:
            row.errors.append(_("Kategorien hører ikke til valgt område."))
        if row.status != DefectStatus.NEW and status_path(row.status) is None:
            row.errors.append(_("Status «%(s)s» kan ikke gis ved import.") % {"s": row.status})
        try:
            # The report form's limits (text lengths, a deadline not in the past), then the
            # model's field checks. The database enforces the check constraints at the import.
            check_limits({k: create[k] for k in ("description", "workaround", "deadline")})
            defect.full_clean(
                exclude=CLEAN_EXCLUDE, validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                label = FIELDS[name].label if name in FIELDS else name
                row.errors += [f"{label}: {m}" for m in messages]
        row.create = create


def build_defect(
    *, reporter: User, now: Any, facts: Mapping[str, bool] | None = None, **kwargs: Any
) -> Defect:
    """An unsaved Defect exactly as ``defect_create`` builds it from the same arguments."""
    facts = facts or {}
    return Defect(
        reporter=reporter,
        title=kwargs["title"].strip(),
        description=kwargs.get("description", ""),
        kind=kwargs.get("kind", DefectKind.BUG),
        area=kwargs["area"],
        category=kwargs.get("category"),
        system=kwargs.get("system"),
        institution=kwargs["institution"],
        unit=kwargs.get("unit"),
        extra_hours_per_week=Decimal(str(kwargs.get("extra_hours_per_week", 0))),
        people_affected=kwargs.get("people_affected", 1),
        workaround=kwargs.get("workaround", ""),
        workaround_hours_per_week=kwargs.get("workaround_hours_per_week"),
        deadline=kwargs.get("deadline"),
        confidential=kwargs.get("confidential", False),
        created_at=now,
        updated_at=now,
        **{name: bool(facts.get(name, False)) for name in FACT_NAMES},
    )


def _chunks(items: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(items), QUERY_CHUNK):
        yield items[start : start + QUERY_CHUNK]


def _find_duplicates(actor: User, rows: list[PlannedRow]) -> None:
    visible = permissions.visible_defects(actor)
    refs = sorted({r.dfo_reference for r in rows if r.dfo_reference})
    by_ref: dict[str, Defect] = {}
    for chunk in _chunks(refs):
        for d in visible.filter(dfo_reference__in=chunk).only("id", "title", "dfo_reference"):
            by_ref.setdefault(d.dfo_reference, d)
    titles = sorted({r.title.casefold() for r in rows if r.title})
    by_title: dict[str, list[Defect]] = {}
    for chunk in _chunks(titles):
        matches = visible.annotate(lower_title=Lower("title")).filter(lower_title__in=chunk)
        for d in matches.only("id", "title"):
            by_title.setdefault(d.title.casefold(), []).append(d)
    suggest = len(rows) <= settings.IMPORT_SUGGEST_MAX_ROWS
    seen_refs: dict[str, int] = {}
    for row in rows:
        hits: dict[str, Duplicate] = {}
        if row.dfo_reference and row.dfo_reference in by_ref:
            d = by_ref[row.dfo_reference]
            row.existing_key = d.key
            hits[d.key] = Duplicate(d.key, d.title, _("samme DFØ-referanse"))
        for d in by_title.get(row.title.casefold(), []):
            hits.setdefault(d.key, Duplicate(d.key, d.title, _("samme tittel")))
        if suggest and row.title:
            for d in similar_defects(user=actor, text=row.title, limit=3):
                hits.setdefault(d.key, Duplicate(d.key, d.title, _("lignende tekst")))
        row.duplicates = list(hits.values())
        if row.dfo_reference and row.dfo_reference in seen_refs and not row.existing_key:
            row.errors.append(
                _("Samme DFØ-referanse som rad %(n)s.") % {"n": seen_refs[row.dfo_reference]}
            )
        seen_refs.setdefault(row.dfo_reference, row.number)


def dry_run(*, actor: User, table: Table, mapping: ImportMapping) -> DryRun:
    """What importing ``table`` with ``mapping`` would do; reads only."""
    reader = _RowReader(actor, table, mapping)
    rows = [reader.plan(number, cells) for number, cells in table.rows]
    for row in rows:
        row.errors = [mask(e) for e in row.errors]
    _find_duplicates(actor, rows)
    unknown = {
        k: sorted(v.items(), key=lambda kv: kv[1].casefold()) for k, v in reader.unknown.items()
    }
    return DryRun(table.headers, mapping, rows, unknown)
