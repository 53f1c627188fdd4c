"""Table rows of the long lists (triage queue, meeting agenda, release page) built in Python.

Fifty to three hundred rows through Django's template engine cost more than the queries behind
them: every ``{{ }}`` is a variable lookup, a filter chain and an escape. ``format_html`` does
the escaping with one ``str.format`` per row (issue 17). The markup is the same as the templates
wrote, which ``tests/issues/test_row_tags.py`` checks against those templates.
"""

import datetime as dt
import html
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from issues.models import Defect, DefectStatus, StatusChange
from issues.templatetags.reporting_tags import status_color

register = template.Library()

QUEUE_ROW = (
    "<tr{}>\n"
    '          <td><input type="checkbox" name="ids" value="{}" id="sel-{}"><label for="sel-{}"'
    ' class="visually-hidden">{}</label><input type="hidden" name="v{}" value="{}"></td>\n'
    '          <td class="nowrap"><a class="ds-link" href="{}">{}</a></td>\n'
    '          <td class="title-cell">{}{}<div class="reason">{}</div></td>\n'
    "          <td>{}</td>\n"
    "          <td>{}</td>\n"
    '          <td><span class="tier-badge tier-{}">{}</span>{}</td>\n'
    '          <td><span class="ds-tag" data-size="sm" data-color="{}">{}</span></td>\n'
    '          <td class="nowrap">{}</td>\n'
    '          <td class="num">{}</td>\n'
    '          <td class="num">{}</td>\n'
    "          <td>{}</td>\n"
    "          <td>{}</td>\n"
    "        </tr>"
)


def _escaped(value: object) -> str:
    """What ``conditional_escape`` returns, without the lazy-string wrapper Django puts around
    every call (a third of the rows' time: ~2,500 calls per meeting agenda). Markup passes as it
    is; anything else is escaped as ``django.utils.html.escape`` escapes it."""
    as_html = getattr(value, "__html__", None)
    if as_html is not None:
        return str(as_html())
    return html.escape(str(value))


def format_html(pattern: str, *args: object) -> SafeString:
    """``django.utils.html.format_html``, with ``_escaped``."""
    return mark_safe(pattern.format(*map(_escaped, args)))  # noqa: S308 - every argument escaped


def format_html_join(sep: str, pattern: str, rows: Iterable[Sequence[object]]) -> SafeString:
    """``django.utils.html.format_html_join`` (``sep`` is markup), with ``_escaped``."""
    return mark_safe(sep.join(pattern.format(*map(_escaped, args)) for args in rows))  # noqa: S308


DANGER_TAG = ' <span class="ds-tag" data-size="sm" data-color="danger">{}</span>'


def _optional(pattern: str, value: str) -> SafeString:
    return format_html(pattern, value) if value else mark_safe("")


@register.simple_tag
def queue_rows(rows: Iterable[Any]) -> SafeString:
    """The triage queue's rows, from ``issues.views.queue.RowView``."""
    return format_html_join(
        "\n",
        QUEUE_ROW,
        (
            (
                mark_safe(' class="untriaged"') if d.untriaged else "",
                d.pk,
                d.pk,
                d.pk,
                d.select_label,
                d.pk,
                d.version,
                d.triage_url,
                d.key,
                d.title,
                _optional(DANGER_TAG, d.deadline_text),
                d.reason_text,
                d.area_code,
                d.codes_text,
                d.tier,
                d.tier,
                _optional(' <span class="tag">{}</span>', d.override_text),
                d.status_color,
                d.status_label,
                d.age_text,
                d.weekly_cost,
                d.affects_count,
                d.dfo_text,
                d.release_text,
            )
            for d in rows
        ),
    )


def status_labels() -> Mapping[str, str]:
    """Each status's label in the active language, looked up once per list instead of per row."""
    return {value: str(label) for value, label in DefectStatus.choices}


# Formats that show the date only: a time's date gives the same text, and dates repeat.
_DATE_ONLY = frozenset({"DATE_FORMAT", "j.n.", "j.n.Y"})


@lru_cache(maxsize=4096)
def _date_text(value: dt.date, fmt: str, language: str | None) -> str:
    # ``language`` is part of the cache key only: date_format reads the active language, which
    # is the one the caller passed. ~20 µs a call, 300-500 calls in a meeting agenda.
    return date_format(value, fmt)


def local_date(value: dt.datetime | dt.date | None, fmt: str = "DATE_FORMAT") -> str:
    """As the template filter ``date`` writes it: an aware time in the local time zone first."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    if fmt in _DATE_ONLY:
        day = value.date() if isinstance(value, dt.datetime) else value
        return _date_text(day, fmt, get_language())
    return date_format(value, fmt)


def deadline_date(value: dt.date, today: dt.date) -> str:
    """Day and month, and the year when it is not this year's: a deadline that passed long ago
    must not read as one coming up."""
    return _date_text(value, "j.n." if value.year == today.year else "j.n.Y", get_language())


def deadline_text(value: dt.date, today: dt.date) -> str:
    """The tag on a defect whose deadline falls before the next DFØ meeting."""
    return _("Frist %(date)s, før neste DFØ-møte") % {"date": deadline_date(value, today)}


DEFECT_ROW = (
    '<tr><td><a class="ds-link" href="{}">{}</a></td><td>{}{}</td><td>{}</td>'
    '<td><span class="tier-badge tier-{}">{}</span></td>'
    '<td><span class="ds-tag" data-size="sm" data-color="{}">{}</span></td><td>{}</td><td>{}</td></tr>'
)


@register.simple_tag
def defect_rows(rows: Iterable[Defect]) -> SafeString:
    """The rows of ``issues/triage/_defect_table.html`` (meeting agenda, release page)."""
    labels = status_labels()
    url = url_pattern("issues:defect_detail")
    today = timezone.localdate()
    return format_html_join(
        "",
        DEFECT_ROW,
        (
            (
                url.format(d.pk),
                d.key,
                d.title,
                _optional(DANGER_TAG, deadline_text(d.effective_deadline, today))  # type: ignore[attr-defined]
                if getattr(d, "deadline_soon", False)
                else "",
                d.area.code,
                d.tier,
                d.tier,
                status_color(d.status),
                labels.get(d.status, d.status),
                local_date(d.created_at),
                d.dfo_reference or "–",
            )
            for d in rows
        ),
    )


def _change_cells(c: StatusChange, labels: Mapping[str, str]) -> SafeString:
    if c.kind == "merged_in":
        if c.merged_from is not None:
            event = _("slått sammen: %(dup)s inn i %(keep)s") % {
                "dup": c.merged_from.key,
                "keep": c.defect.key,
            }
        else:
            event = _("slått sammen med en annen sak")
        return format_html('<td colspan="2">{}</td>', event)
    return format_html(
        "<td>{}</td><td>{}</td>",
        labels.get(c.from_status, c.from_status) if c.from_status else "–",
        labels.get(c.to_status, c.to_status),
    )


@register.simple_tag
def status_change_rows(changes: Iterable[StatusChange]) -> SafeString:
    """The meeting agenda's status changes (transitions and merge records)."""
    labels = status_labels()
    return format_html_join(
        "",
        "<tr><td>{} {}</td>{}<td>{}</td><td>{}</td></tr>",
        (
            (c.defect.key, c.defect.title, _change_cells(c, labels), local_date(c.at), c.note)
            for c in changes
        ),
    )


@register.simple_tag
def tier_change_rows(changes: Iterable[Mapping[str, Any]]) -> SafeString:
    """The meeting agenda's tier changes, from ``issues.selectors.meeting._tier_changes``."""
    rule_changed = _("Endret svar i regelen")
    return format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                c["key"],
                c["previous_tier"],
                c["tier"],
                local_date(c["history_date"]),
                c["override_reason"] if c["tier_override"] else rule_changed,
            )
            for c in changes
        ),
    )


def url_pattern(name: str) -> str:
    """A defect's page ``name`` with ``{}`` for the id: one ``reverse`` per list, not per row."""
    marker = 2**62
    return reverse(name, args=[marker]).replace(str(marker), "{}")


def triage_url_pattern() -> str:
    return url_pattern("issues:triage_defect")
