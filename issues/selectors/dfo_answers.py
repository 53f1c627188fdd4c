"""What DFØ's answer sheet would change: per defect, the DFØ reference, the target release and the
status (through the workflow, from DFØ's status words). Reads only.

The sheet is the escalation export (issues.exports) with DFØ's columns filled in; rows are
matched on the key, and a defect whose version moved since the export is flagged, not changed.
"""

from collections import deque
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from issues import permissions
from issues.imports import ANSWER_FIELDS, CellError, as_int, as_text, guess_columns
from issues.models import Defect, DefectStatus, DfoStatusWord, Release, User
from issues.personal_data import mask
from issues.spreadsheets import Cell, SpreadsheetError, Table
from issues.workflow import allowed_targets

REQUIRED = ("key", "version")


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    old: str
    new: str


@dataclass
class AnswerRow:
    number: int
    key: str
    defect: Defect | None = None
    version: int | None = None
    changes: list[Change] = field(default_factory=list)
    dfo_reference: str | None = None
    release_name: str | None = None
    new_release: bool = False
    steps: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)

    @property
    def applies(self) -> bool:
        return self.defect is not None and not self.flags and bool(self.changes)


@dataclass
class AnswersPlan:
    rows: list[AnswerRow]

    @property
    def to_apply(self) -> list[AnswerRow]:
        return [r for r in self.rows if r.applies]

    @property
    def flagged(self) -> list[AnswerRow]:
        return [r for r in self.rows if r.flags]


def status_word_key(word: str) -> str:
    return " ".join(word.split()).casefold()


def workflow_steps(actor: User, defect: Defect, target: str) -> list[str] | None:
    """Shortest chain of transitions ``actor`` may make from the defect's status to ``target``."""
    if target == defect.status:
        return []
    roles = permissions.roles_for(actor, defect)

    queue: deque[list[str]] = deque([[defect.status]])
    seen = {defect.status}
    while queue:
        path = queue.popleft()
        for nxt in allowed_targets(path[-1], roles):
            if nxt in seen or nxt == DefectStatus.DUPLICATE:
                continue
            if nxt == target:
                return [*path[1:], nxt]
            seen.add(nxt)
            queue.append([*path, nxt])
    return None


def _columns(table: Table) -> dict[str, int]:
    found = {name: index for index, name in guess_columns(table.headers, ANSWER_FIELDS).items()}
    missing = [n for n in REQUIRED if n not in found]
    if missing:
        raise SpreadsheetError(
            _(
                "Finner ikke kolonnene «Nøkkel» og «Versjon». Bruk eksporten fra "
                "eskaleringssiden som mal."
            )
        )
    return found


def answers_plan(*, actor: User, table: Table) -> AnswersPlan:
    """Compare each row of DFØ's sheet with the defect it names."""
    columns = _columns(table)
    keys = {n: as_text(cells[columns["key"]]).strip() for n, cells in table.rows}
    pks = {Defect.pk_from_key(k) for k in keys.values()} - {None}
    defects = {
        d.pk: d
        for d in permissions.visible_defects(actor)
        .filter(pk__in=pks)
        .select_related("target_release")
    }
    lookups = _Lookups(
        words={w.word: w.status for w in DfoStatusWord.objects.all()},
        releases=set(Release.objects.values_list("name", flat=True)),
        statuses={k: str(v) for k, v in DefectStatus.choices},
    )
    rows = []
    for number, cells in table.rows:
        row = AnswerRow(number, keys[number])
        pk = Defect.pk_from_key(row.key)
        row.defect = defects.get(pk) if pk is not None else None
        if row.defect is None:
            row.flags.append(_("Finner ingen sak med nøkkelen «%(key)s».") % {"key": row.key[:30]})
        else:
            _compare(actor, row, cells, columns, lookups)
        rows.append(row)
    return AnswersPlan(rows)


@dataclass(frozen=True)
class _Lookups:
    words: dict[str, str]
    releases: set[str]
    statuses: dict[str, str]


def _compare(
    actor: User, row: AnswerRow, cells: list[Cell], columns: dict[str, int], lookups: _Lookups
) -> None:
    defect = row.defect
    assert defect is not None
    try:
        row.version = as_int(cells[columns["version"]])
    except CellError as exc:
        row.flags.append(str(exc))
        return
    if row.version != defect.version:
        row.flags.append(
            _(
                "Saken er endret siden eksporten (versjon %(old)s, nå %(new)s). Den oppdateres "
                "ikke; eksporter på nytt."
            )
            % {"old": row.version, "new": defect.version}
        )
    ref = _cell(cells, columns, "dfo_reference")[:60]
    if ref and ref != defect.dfo_reference:
        row.dfo_reference = ref
        row.changes.append(Change("dfo_reference", _("DFØ-referanse"), defect.dfo_reference, ref))
    release = _cell(cells, columns, "target_release")[:120]
    current = defect.target_release.name if defect.target_release else ""
    if release and release != current:
        row.release_name = release
        row.new_release = release not in lookups.releases
        row.changes.append(Change("target_release", _("Planlagt release"), current, release))
    word = _cell(cells, columns, "dfo_status")
    if word:
        _compare_status(actor, row, word, lookups)


def _compare_status(actor: User, row: AnswerRow, word: str, lookups: _Lookups) -> None:
    defect = row.defect
    assert defect is not None
    target = lookups.words.get(status_word_key(word))
    if target is None:
        row.flags.append(
            _(
                "Ukjent statusord fra DFØ: «%(word)s». Legg det inn under «Statusord fra "
                "DFØ» i administrasjonen."
            )
            % {"word": word[:60]}
        )
        return
    steps = workflow_steps(actor, defect, target)
    old, new = lookups.statuses[defect.status], lookups.statuses[target]
    if steps is None:
        row.flags.append(
            _("Statusen kan ikke gå fra «%(old)s» til «%(new)s».") % {"old": old, "new": new}
        )
    elif steps:
        row.steps = steps
        row.changes.append(Change("status", _("Status"), old, new))


def _cell(cells: list[Cell], columns: dict[str, int], name: str) -> str:
    index = columns.get(name)
    return mask(as_text(cells[index]).strip()) if index is not None else ""
