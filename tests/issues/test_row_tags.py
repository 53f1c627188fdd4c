"""The Python-built table rows (issues/templatetags/row_tags.py) against the template loops they
replaced: same markup, same escaping, same labels and dates, in both languages (issue 17)."""

import datetime as dt
import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.template import engines
from django.utils import timezone, translation
from hypothesis import given, settings
from hypothesis import strategies as st

from issues.models import Area, Defect, DefectStatus, StatusChange
from issues.templatetags import row_tags

# The loops as the templates wrote them before issue 17 (git show 4c996eb:templates/...).
OLD_QUEUE_ROWS = """{% load i18n %}{% for d in page.rows %}
        <tr{% if d.untriaged %} class="untriaged"{% endif %}>
          <td><input type="checkbox" name="ids" value="{{ d.pk }}" id="sel-{{ d.pk }}"><label for="sel-{{ d.pk }}" class="visually-hidden">{{ d.select_label }}</label><input type="hidden" name="v{{ d.pk }}" value="{{ d.version }}"></td>
          <td class="nowrap"><a class="ds-link" href="{{ d.triage_url }}">{{ d.key }}</a></td>
          <td class="title-cell">{{ d.title }}{% if d.deadline_text %} <span class="ds-tag" data-size="sm" data-color="danger">{{ d.deadline_text }}</span>{% endif %}<div class="reason">{{ d.reason_text }}</div></td>
          <td>{{ d.area_code }}</td>
          <td>{{ d.codes_text }}</td>
          <td><span class="tier-badge tier-{{ d.tier }}">{{ d.tier }}</span>{% if d.override_text %} <span class="tag">{{ d.override_text }}</span>{% endif %}</td>
          <td><span class="ds-tag" data-size="sm" data-color="{{ d.status_color }}">{{ d.status_label }}</span></td>
          <td class="nowrap">{{ d.age_text }}</td>
          <td class="num">{{ d.weekly_cost }}</td>
          <td class="num">{{ d.affects_count }}</td>
          <td>{{ d.dfo_text }}</td>
          <td>{{ d.release_text }}</td>
        </tr>
        {% endfor %}"""
OLD_DEFECT_ROWS = """{% load i18n reporting_tags %}{% for d in rows %}<tr><td><a class="ds-link" href="{{ d.get_absolute_url }}">{{ d.key }}</a></td><td>{{ d.title }}{% if d.deadline_soon %} <span class="ds-tag" data-size="sm" data-color="danger">{% blocktranslate with date=d.effective_deadline|date:"j.n." %}Frist {{ date }}, før neste DFØ-møte{% endblocktranslate %}</span>{% endif %}</td><td>{{ d.area.code }}</td><td><span class="tier-badge tier-{{ d.tier }}">{{ d.tier }}</span></td><td><span class="ds-tag" data-size="sm" data-color="{{ d.status|status_color }}">{{ d.get_status_display }}</span></td><td>{{ d.created_at|date:"DATE_FORMAT" }}</td><td>{{ d.dfo_reference|default:"–" }}</td></tr>{% endfor %}"""
OLD_STATUS_CHANGES = """{% load i18n %}{% for c in agenda.status_changes %}<tr><td>{{ c.defect.key }} {{ c.defect.title }}</td>{% if c.kind == "merged_in" %}<td colspan="2">{% include "issues/history/_event.html" with change=c %}</td>{% else %}<td>{{ c.get_from_status_display|default:"–" }}</td><td>{{ c.get_to_status_display }}</td>{% endif %}<td>{{ c.at|date:"DATE_FORMAT" }}</td><td>{{ c.note }}</td></tr>{% endfor %}"""
OLD_TIER_CHANGES = """{% load i18n %}{% for c in agenda.tier_changes %}<tr><td>{{ c.key }}</td><td>{{ c.previous_tier }}</td><td>{{ c.tier }}</td><td>{{ c.history_date|date:"DATE_FORMAT" }}</td><td>{% if c.tier_override %}{{ c.override_reason }}{% else %}{% translate "Endret svar i regelen" %}{% endif %}</td></tr>{% endfor %}"""
TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40
) | st.sampled_from(["<b>&amp;</b>", "\"'{}%s%(x)s", "Ærlig talt – «faktura»"])
STATUS = st.sampled_from(DefectStatus.values)
WHEN = st.datetimes(
    min_value=dt.datetime(2019, 1, 1),  # noqa: DTZ001 - naive bounds, aware values
    max_value=dt.datetime(2030, 12, 31),  # noqa: DTZ001
    timezones=st.just(dt.UTC),
)
LANGUAGE = st.sampled_from(["nb", "en"])


def _same(old: str, new: str) -> None:
    # Whitespace between tags, and the newline an included template left before </td>, is not
    # rendered; everything else must match.
    def squeeze(html: str) -> str:
        return re.sub(r"\s+</td>", "</td>", re.sub(r">\s+<", "><", html.strip()))

    assert squeeze(new) == squeeze(old)


def _render(source: str, context: dict[str, Any]) -> str:
    return engines["django"].from_string(source).render(context)


def _queue_row(draw: Any) -> SimpleNamespace:
    return SimpleNamespace(
        pk=draw(st.integers(1, 10**7)),
        key="",
        version=draw(st.integers(1, 10**4)),
        title=draw(TEXT),
        triage_url=draw(TEXT),
        select_label=draw(TEXT),
        area_code=draw(TEXT),
        codes_text=draw(TEXT),
        tier=draw(st.sampled_from([1, 2, 3])),
        override_text=draw(TEXT),
        reason_text=draw(TEXT),
        untriaged=draw(st.booleans()),
        status_label=draw(TEXT),
        status_color=draw(st.sampled_from(["info", "warning"])),
        age_text=draw(TEXT),
        weekly_cost=draw(TEXT),
        affects_count=draw(st.integers(0, 10**5)),
        dfo_text=draw(TEXT),
        release_text=draw(TEXT),
        deadline_text=draw(TEXT),
    )


@given(data=st.data(), n=st.integers(0, 4), language=LANGUAGE)
@settings(max_examples=60, deadline=None)
def test_queue_rows_are_the_template_rows(data: st.DataObject, n: int, language: str) -> None:
    rows = [_queue_row(data.draw) for _ in range(n)]
    for row in rows:
        row.key = f"BOTT-{row.pk}"
    with translation.override(language):
        _same(_render(OLD_QUEUE_ROWS, {"page": {"rows": rows}}), row_tags.queue_rows(rows))


def _defect(draw: Any) -> Defect:
    d = Defect(
        pk=draw(st.integers(1, 10**7)),
        title=draw(TEXT),
        tier=draw(st.sampled_from([1, 2, 3])),
        status=draw(STATUS),
        dfo_reference=draw(TEXT),
        created_at=draw(WHEN),
    )
    d.area = Area(code=draw(TEXT))
    if draw(st.booleans()):
        d.deadline_soon = True  # type: ignore[attr-defined]
        # This year's: the old loop never wrote the year (see test_an_old_deadline_shows_its_year).
        year = timezone.localdate().year
        d.effective_deadline = draw(  # type: ignore[attr-defined]
            st.dates(min_value=dt.date(year, 1, 1), max_value=dt.date(year, 12, 31))
        )
    return d


@given(data=st.data(), n=st.integers(0, 4), language=LANGUAGE)
@settings(max_examples=60, deadline=None)
def test_defect_rows_are_the_template_rows(data: st.DataObject, n: int, language: str) -> None:
    rows = [_defect(data.draw) for _ in range(n)]
    with translation.override(language), timezone.override("Europe/Oslo"):
        _same(_render(OLD_DEFECT_ROWS, {"rows": rows}), row_tags.defect_rows(rows))


def _change(draw: Any) -> StatusChange:
    merged = draw(st.sampled_from(["", "merged_in", "merged_in_unknown"]))
    change = StatusChange(
        pk=draw(st.integers(1, 10**6)),
        from_status=draw(st.sampled_from(["", *DefectStatus.values])),
        to_status=draw(STATUS),
        at=draw(WHEN),
        note=draw(TEXT),
        kind="merged_in" if merged else draw(st.sampled_from(["", "transition"])),
    )
    change.defect = Defect(pk=draw(st.integers(1, 10**6)), title=draw(TEXT))
    if merged == "merged_in":
        change.merged_from = Defect(pk=draw(st.integers(1, 10**6)))
    return change


@given(data=st.data(), n=st.integers(0, 4), language=LANGUAGE)
@settings(max_examples=60, deadline=None)
def test_status_change_rows_are_the_template_rows(
    data: st.DataObject, n: int, language: str
) -> None:
    changes = [_change(data.draw) for _ in range(n)]
    context = {"agenda": {"status_changes": changes}}
    with translation.override(language), timezone.override("Europe/Oslo"):
        _same(_render(OLD_STATUS_CHANGES, context), row_tags.status_change_rows(changes))


@given(
    changes=st.lists(
        st.fixed_dictionaries(
            {
                "key": TEXT,
                "previous_tier": st.sampled_from([1, 2, 3]),
                "tier": st.sampled_from([1, 2, 3]),
                "history_date": WHEN,
                "tier_override": st.sampled_from([None, 1, 2, 3]),
                "override_reason": TEXT,
            }
        ),
        max_size=4,
    ),
    language=LANGUAGE,
)
@settings(max_examples=60, deadline=None)
def test_tier_change_rows_are_the_template_rows(
    changes: list[dict[str, Any]], language: str
) -> None:
    context = {"agenda": {"tier_changes": changes}}
    with translation.override(language), timezone.override("Europe/Oslo"):
        _same(_render(OLD_TIER_CHANGES, context), row_tags.tier_change_rows(changes))


@pytest.mark.parametrize("pk", [1, 7, 123456789])
def test_the_url_patterns_are_reverse(pk: int) -> None:
    from django.urls import reverse

    assert row_tags.triage_url_pattern().format(pk) == reverse("issues:triage_defect", args=[pk])
    detail = row_tags.url_pattern("issues:defect_detail").format(pk)
    assert detail == reverse("issues:defect_detail", args=[pk]) == Defect(pk=pk).get_absolute_url()


def test_an_old_deadline_shows_its_year() -> None:
    """A deadline from another year reads as that date, not as one coming up this year."""
    today = timezone.localdate()
    old = Defect(pk=1, title="Gammel", tier=1, status="triaged", created_at=timezone.now())
    old.area = Area(code="BTB")
    old.deadline_soon = True  # type: ignore[attr-defined]
    old.effective_deadline = dt.date(today.year - 3, 7, 27)  # type: ignore[attr-defined]
    with translation.override("nb"):
        html = row_tags.defect_rows([old])
        assert f"Frist 27.7.{today.year - 3}, før neste DFØ-møte" in html
        assert row_tags.deadline_date(dt.date(today.year, 7, 27), today) == "27.7."


@given(
    when=WHEN,
    naive_date=st.booleans(),
    fmt=st.sampled_from(["DATE_FORMAT", "j.n.", "j.n.Y", "DATETIME_FORMAT"]),
    languages=st.lists(LANGUAGE, min_size=1, max_size=3),
)
@settings(max_examples=120, deadline=None)
def test_local_date_is_the_date_filter(
    when: dt.datetime, naive_date: bool, fmt: str, languages: list[str]
) -> None:
    """The memoised date texts are what ``|date`` writes, whichever language asked first."""
    value: dt.datetime | dt.date = timezone.localtime(when).date() if naive_date else when
    if naive_date and fmt == "DATETIME_FORMAT":
        fmt = "DATE_FORMAT"  # a date has no time to show
    for language in languages:
        with translation.override(language):
            expected = _render("{{ v|date:f }}", {"v": value, "f": fmt})
            assert row_tags.local_date(value, fmt) == expected
