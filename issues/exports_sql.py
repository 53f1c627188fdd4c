"""The CSV export on PostgreSQL: rows formatted by the database and streamed with ``COPY … TO STDOUT``.

The Python writer (``exports.csv_chunks(exports.export_rows(...))``) is the definition of every
cell; this module produces the same cells in SQL because per-row Python costs ~100 µs and a full
export is 100,000 rows or more. Two things stay in Python, by design:

* masking personal data (``personal_data.mask`` checks dates and mod-11 digits): a row that might
  hold such a number is flagged by the query and its line is rendered by the Python writer
  instead, fetched before the COPY starts (a COPY holds the connection);
* the line ending: PostgreSQL ends CSV lines with ``\\n``; each COPY message is exactly one row, so
  its last byte is the row terminator and becomes ``\\r\\n`` without touching embedded newlines.

Both reads run in one REPEATABLE READ transaction, so the flagged rows and the COPY see the same
snapshot. Tests compare this path with the Python writer on generated text.
"""

import json
from collections.abc import Callable, Iterator
from typing import Any

from django.db import connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from issues import exports, text
from issues.models import Defect, DefectStatus
from issues.models.defects import KEY_PREFIX

# Above this many rows needing Python's masking the whole export takes the Python path: the
# flagged lines are held in memory until the COPY reaches them.
FLAGGED_MAX = 20_000
FLUSH_BYTES = 256 * 1024
PROGRESS_ROWS = 5000

# What str.split() treats as whitespace (every c with c.isspace()), as a regular-expression class.
_WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
)
_WHITESPACE_RE = f"[{_WHITESPACE}]+"
# A text that " ".join(text.split()) changes: whitespace other than a single inner space.
_UNTIDY_RE = f"[{_WHITESPACE.replace(' ', '')}]|  |^ | $"

_INNER = {
    "d_id": F("id"),
    "d_title": F("title"),
    "d_area": F("area__name_nb"),
    "d_category": F("category__name_nb"),
    "d_system": F("system__name_nb"),
    "d_tier": F("tier"),
    "d_override": F("tier_override"),
    "d_override_reason": F("override_reason"),
    "d_rule_reasons": F("rule_reasons"),
    "d_status": F("status"),
    "d_dfo": F("dfo_reference"),
    "d_release": F("target_release__name"),
    "d_created": F("created_at"),
    "d_institutions": F("institutions_affected"),
    "d_people": F("people_affected"),
    "d_cost": F("weekly_cost"),
    "d_workaround": F("workaround"),
    "d_updated": F("updated_at"),
    "d_confidential": F("confidential"),
    "d_version": F("version"),
}


# The text cells before cleaning, computed once per row in a LATERAL subquery (OFFSET 0 keeps
# PostgreSQL from inlining it into every reference): what ``exports.row_cells`` hands to
# ``clean_cell``. Most defects have one rule reason and a workaround without runs of whitespace;
# those skip the costlier general expressions.
_ONE_REASON = (
    "jsonb_typeof(r.d_rule_reasons) = 'array' AND jsonb_array_length(r.d_rule_reasons) = 1 "
    "AND jsonb_typeof(r.d_rule_reasons -> 0) = 'object'"
)
_REASONS = (
    f"CASE WHEN {_ONE_REASON} THEN coalesce(r.d_rule_reasons -> 0 ->> 'nb', '') ELSE "  # noqa: S608
    "(SELECT string_agg(coalesce(e ->> 'nb', ''), '; ' ORDER BY n) "
    "FROM jsonb_array_elements(CASE WHEN jsonb_typeof(r.d_rule_reasons) = 'array' "
    "THEN r.d_rule_reasons ELSE '[]'::jsonb END) WITH ORDINALITY AS t(e, n) "
    "WHERE jsonb_typeof(e) = 'object') END"
)
_TEXT = {
    "title": "r.d_title",
    "area": "coalesce(r.d_area, '')",
    "category": "coalesce(r.d_category, '')",
    "system": "coalesce(r.d_system, '')",
    "reason": (
        "CASE WHEN r.d_override IS NOT NULL "
        "THEN %(override_before)s || r.d_override_reason || %(override_after)s "
        f"ELSE coalesce({_REASONS}, '') END"
    ),
    "status": "coalesce(%(statuses)s::jsonb ->> r.d_status, r.d_status)",
    "dfo": "r.d_dfo",
    "release": "coalesce(r.d_release, '')",
    "summary": (
        "CASE WHEN length(w.flat) <= %(summary_chars)s THEN w.flat "
        "ELSE rtrim(left(w.flat, %(summary_chars)s - 1), ' ') || '…' END"
    ),
    "confidential": "CASE WHEN r.d_confidential THEN %(confidential)s ELSE '' END",
}
_FLATTEN = (
    "CASE WHEN r.d_workaround ~ %(untidy)s "
    "THEN btrim(regexp_replace(r.d_workaround, %(whitespace)s, ' ', 'g'), ' ') "
    "ELSE r.d_workaround END"
)
_LATERAL = (
    f"CROSS JOIN LATERAL (SELECT {_FLATTEN} AS flat OFFSET 0) AS w CROSS JOIN LATERAL (SELECT "
    + ", ".join(f"{expr} AS {name}" for name, expr in _TEXT.items())
    + " OFFSET 0) AS c"
)
# A row ``personal_data.mask`` might change, checked on the stored fields: each number it masks
# (6+5 digits, or 4.2.5 with one separator style) matches this looser pattern, also after the
# summary has folded whitespace. A superset is safe: those rows take the Python writer. The rule
# reasons are JSON (whitespace escaped), so any two digits in a row flag them.
# (mask's ``\d`` also takes non-ASCII digits; the Python writer only calls it on a cell with 11
# ASCII digits, and a number in other digits beside those is not looked for here.)
_MAYBE_NUMBER = f"[0-9]{{4}}[.{_WHITESPACE}]*[0-9]{{2}}[.{_WHITESPACE}]*[0-9]{{5}}"
_STORED_TEXT = (
    "concat_ws(' ', r.d_title, r.d_area, r.d_category, r.d_system, r.d_override_reason, "
    "r.d_dfo, r.d_release, r.d_workaround)"
)
# Text that text hygiene (clean_text: CR to LF, control characters dropped, NFC) would change is
# flagged too: stored text is clean, and a row that is not takes the Python writer's cleaning.
_UNCLEAN = f"[{text.STORABLE_CONTROLS}]"
# A trigger after a separator some spreadsheet might split on: ``exports._csv_safe`` puts an
# apostrophe there. Anything but letters and digits may stand between them here (a superset of
# its blanks and quotes), so every row it would change takes the Python writer.
_SPLIT_TRIGGER = f"[,;\t\n][^[:alnum:]]*[{exports.SIGN_TRIGGERS.replace('-', '')}-]"
_FLAG = (
    f"({_STORED_TEXT} ~ %(maybe_number)s OR {_STORED_TEXT} ~ %(unclean)s "
    f"OR {_STORED_TEXT} IS NOT NFC NORMALIZED "
    f"OR {_STORED_TEXT} ~ %(split_trigger)s OR r.d_rule_reasons::text ~ %(split_trigger)s "
    "OR r.d_rule_reasons::text ~ '[0-9]{2}')"
)


def _cell(expr: str) -> str:
    """``exports.clean_cell`` for a cell without personal data: formulas neutralised.

    NULL becomes '': with every field quoted (FORCE_QUOTE *), PostgreSQL writes '' as ``""`` like
    Python's csv with QUOTE_ALL, but NULL as nothing.
    """
    return (
        f"COALESCE(CASE WHEN left({expr}, 1) = ANY(%(triggers)s) "
        f"THEN chr(39) || {expr} ELSE {expr} END, '')"
    )


def _plain(expr: str) -> str:
    return f"COALESCE(({expr})::text, '')"


_CELLS = [
    _plain("%(key_prefix)s || r.d_id"),
    _cell("c.title"),
    _cell("c.area"),
    _cell("c.category"),
    _cell("c.system"),
    _plain("r.d_tier"),
    _cell("c.reason"),
    _cell("c.status"),
    _cell("c.dfo"),
    _cell("c.release"),
    _plain("to_char(r.d_created AT TIME ZONE %(tz)s, 'YYYY-MM-DD')"),
    _plain("r.d_institutions"),
    _plain("r.d_people"),
    _plain("replace(trim_scale(r.d_cost)::text, '.', ',')"),
    _cell("c.summary"),
    _plain("to_char(r.d_updated AT TIME ZONE %(tz)s, 'YYYY-MM-DD HH24:MI')"),
    _cell("c.confidential"),
    _plain("r.d_version"),
    "''",
]


def _inner(queryset: QuerySet[Defect]) -> tuple[str, tuple[Any, ...], str]:
    """The filtered rows as a subquery, and the ORDER BY that keeps the queryset's order."""
    order = [str(o) for o in queryset.query.order_by]
    keys = {f"o_{i}": F(o.lstrip("-")) for i, o in enumerate(order)}
    sql, params = queryset.values(**_INNER, **keys).query.sql_with_params()
    order_by = ", ".join(
        f"r.o_{i} {'DESC' if o.startswith('-') else 'ASC'}" for i, o in enumerate(order)
    )
    return sql, params, order_by or "r.d_id"


def _named(sql: str, params: tuple[Any, ...]) -> tuple[str, dict[str, Any]]:
    """Django's positional ``%s`` placeholders as named ones, so they mix with ours."""
    parts = sql.replace("%%", "\0").split("%s")
    if len(parts) != len(params) + 1:
        raise ValueError("unexpected placeholders in the export query")
    joined = parts[0] + "".join(f"%(inner_{i})s{part}" for i, part in enumerate(parts[1:]))
    return joined.replace("\0", "%%"), {f"inner_{i}": p for i, p in enumerate(params)}


def _params() -> dict[str, Any]:
    before, _sep, after = _("Overstyrt: %(reason)s").partition("%(reason)s")
    return {
        "triggers": list(exports.FORMULA_TRIGGERS),
        "override_before": before,
        "override_after": after,
        "summary_chars": exports.WORKAROUND_SUMMARY_CHARS,
        "key_prefix": KEY_PREFIX,
        "statuses": json.dumps({value: str(label) for value, label in DefectStatus.choices}),
        "tz": timezone.get_current_timezone_name(),
        "confidential": _("Fortrolig"),
        "whitespace": _WHITESPACE_RE,
        "untidy": _UNTIDY_RE,
        "maybe_number": _MAYBE_NUMBER,
        "unclean": _UNCLEAN,
        "split_trigger": _SPLIT_TRIGGER,
    }


def copy_sql(queryset: QuerySet[Defect]) -> tuple[str, dict[str, Any], str]:
    """The COPY statement, its parameters, and the query for the ids of the flagged rows.

    The SQL is built from this module's constants and Django's compiled query; every value,
    the user's filter included, is a query parameter.
    """
    inner, inner_params, order_by = _inner(queryset)
    inner, named = _named(inner, inner_params)
    body = f"FROM ({inner}) AS r {_LATERAL}"
    copy = (
        f"COPY (SELECT {', '.join(_CELLS)}, CASE WHEN {_FLAG} THEN 1 ELSE 0 END {body} "
        f"ORDER BY {order_by}) TO STDOUT (FORMAT csv, DELIMITER ';', FORCE_QUOTE *)"
    )
    unordered, unordered_params, _order = _inner(queryset.order_by())
    unordered, _named_params = _named(unordered, unordered_params)
    flagged = f"SELECT r.d_id FROM ({unordered}) AS r WHERE {_FLAG}"  # noqa: S608 - see copy
    return copy, {**_params(), **named}, flagged


def _python_lines(ids: list[int]) -> dict[int, bytes]:
    """The Python writer's line for each flagged row, by id."""
    lines: dict[int, bytes] = {}
    for start in range(0, len(ids), exports.CHUNK_SIZE):
        chunk = Defect.objects.filter(pk__in=ids[start : start + exports.CHUNK_SIZE]).order_by()
        for row in exports.export_rows(chunk):
            lines[int(str(row[0]).removeprefix(KEY_PREFIX))] = exports.csv_line(row).encode()
    return lines


def copy_available() -> bool:
    return connection.vendor == "postgresql"


def _python_chunks(
    queryset: QuerySet[Defect], progress: Callable[[int], None] | None
) -> Iterator[bytes]:
    yield exports.csv_header().encode()
    count = 0
    for count, row in enumerate(exports.export_rows(queryset), start=1):
        yield exports.csv_line(row).encode()
        if progress and count % PROGRESS_ROWS == 0:
            progress(count)
    if progress:
        progress(count)


def csv_copy_chunks(
    queryset: QuerySet[Defect], progress: Callable[[int], None] | None = None
) -> Iterator[bytes]:
    """The CSV file (BOM, header, rows) in chunks of about ``FLUSH_BYTES``.

    ``progress`` is told the rows written now and then, and the total at the end. Falls back to
    the Python writer when too many rows need masking.
    """
    statement, params, flagged_sql = copy_sql(queryset)
    nested = connection.in_atomic_block  # then the snapshot is the outer transaction's
    with transaction.atomic(), connection.cursor() as cursor:
        if not nested:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        # One long query: compiling it costs more than it saves. Reading the rows in rank
        # order from the queue's index streams from the first row, in bounded memory, and costs
        # half of sorting every row first (1.1 s against 2.2 s at 100,000 rows); PostgreSQL
        # still sorts where no index has the order. A sort that remains stays in memory.
        cursor.execute("SET LOCAL jit = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(f"{flagged_sql} LIMIT {FLAGGED_MAX + 1}", params)
        ids = [pk for (pk,) in cursor.fetchall()]
        if len(ids) > FLAGGED_MAX:
            yield from _python_chunks(queryset, progress)
            return
        python_lines = _python_lines(ids)
        buffer = [exports.csv_header().encode()]
        size = count = 0
        with cursor.cursor.copy(statement, params) as copy:
            for data in copy:
                line = bytes(data)
                # Every field is quoted, the flag too: ``;"1"\n`` ends a flagged row.
                if line.endswith(b';"1"\n'):
                    key = line.split(b";", 1)[0].decode().strip('"')
                    buffer.append(python_lines[int(key.removeprefix(KEY_PREFIX))])
                else:
                    buffer.append(line[:-5] + b"\r\n")
                size += len(line)
                count += 1
                if size >= FLUSH_BYTES:
                    yield b"".join(buffer)
                    buffer, size = [], 0
                    if progress:
                        progress(count)
        yield b"".join(buffer)
        if progress:
            progress(count)
