"""Filters in words: the chips above a list and the description in exports and the PDF header."""

from collections.abc import Iterable

from django import forms
from django.db import models
from django.forms.models import ModelChoiceIterator
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from issues import page_cache
from issues.formatting import number
from issues.selectors.defects import HitCount

# Shown without opening "Flere filtre"; the rest fold away so the results start on the first screen.
MAIN_FILTERS = ("q", "area", "status", "tier", "institution", "category")
# Query parameters that are not filters: kept when a chip is removed, never shown as one.
NOT_FILTERS = frozenset({"sort", "page", "side", "size", "format"})
UNSET = frozenset({"", "unknown"})


def active_filters(form: forms.BaseForm, query: QueryDict) -> list[dict[str, str]]:
    """One chip per value in use: its text ("Område: BTB") and the address without it."""
    chips = []
    for name, values in query.lists():
        if name in NOT_FILTERS or name not in form.fields:
            continue
        field = form.fields[name]
        labels = _labels(field)
        for value in values:
            if value in UNSET:
                continue
            rest = query.copy()
            rest.setlist(name, [v for v in values if v != value])
            for key in ("page", "side"):
                rest.pop(key, None)
            text = labels.get(value, f"«{value}»" if name == "q" else value)
            chips.append({"text": f"{field.label}: {text}", "url": f"?{rest.urlencode()}"})
    return chips


def _labels(field: forms.Field) -> dict[str, str]:
    widget = field.widget
    if isinstance(widget, forms.NullBooleanSelect):
        return {"true": _("Ja"), "True": _("Ja"), "false": _("Nei"), "False": _("Nei")}
    if isinstance(widget, forms.Select):
        return {key: label for key, label in choice_pairs(field) if key != ""}
    return {}


def choice_pairs(model_field: forms.Field) -> Iterable[tuple[str, str]]:
    """(value, label) of every choice, the empty one included, as strings."""
    choices = model_field.widget.choices
    queryset = getattr(model_field, "queryset", None)
    if queryset is not None and isinstance(choices, ModelChoiceIterator):
        # Django's ModelChoiceIterator reads with .iterator(): on PostgreSQL a server-side
        # cursor, three round trips per list. A plain query is one, and these lists are short.
        assert isinstance(model_field, forms.ModelChoiceField)
        yield from _model_pairs(model_field, queryset.all())
        return
    for raw, label in choices:
        yield str(getattr(raw, "value", raw)), str(label)  # ModelChoiceIteratorValue


def cached_choices(*forms_: forms.BaseForm) -> None:
    """Fill the model choice fields of ``forms_`` with their (value, label) pairs from the page
    cache, kept under the reference version (migration 0017): otherwise a query and a few dozen
    model instances per list on every render.

    A list is keyed by what its query selects (``_fingerprint``: the WHERE with its values) and
    how the field labels it, so a form that narrows a list per user (the report form's own
    institution and units) gets its own entry, never another user's. Only what is shown is
    replaced: a submitted value is still validated against the field's queryset."""
    fields: list[forms.ModelChoiceField] = [
        field
        for form in forms_
        for field in form.fields.values()
        if isinstance(field, forms.ModelChoiceField)
        and isinstance(field.widget.choices, ModelChoiceIterator)  # not filled yet
    ]
    if not fields:
        return
    queries = [_fingerprint(_queryset(field)) for field in fields]
    key = tuple(
        (
            type(field).__qualname__,
            getattr(field.label_from_instance, "__qualname__", ""),
            str(field.empty_label),
            query,
        )
        for field, query in zip(fields, queries, strict=True)
    )

    def build() -> list[list[tuple[str, str]]]:
        # Two forms offering the same list (the queue's filter and bulk forms both offer the
        # releases) read it once.
        read: dict[tuple[object, ...], list[models.Model]] = {}
        for field, query in zip(fields, queries, strict=True):
            if query not in read:
                read[query] = list(_queryset(field).all())
        return [
            list(_model_pairs(field, read[query]))
            for field, query in zip(fields, queries, strict=True)
        ]

    pairs = page_cache.reference_cached("choices", key, build)
    for field, items in zip(fields, pairs, strict=True):
        # The widget's, not the field's: django-filter's fields wrap what is set on them in a
        # queryset iterator again.
        field.widget.choices = items


def _queryset(field: forms.ModelChoiceField) -> models.QuerySet[models.Model]:
    queryset = field.queryset
    assert queryset is not None
    return queryset


def _fingerprint(queryset: models.QuerySet[models.Model]) -> tuple[object, ...]:
    """What makes one list query differ from another: the model, the WHERE with its values, the
    ordering, the joins and a slice. The SQL itself would say the same but costs ~130 µs a list
    to compile, on every page. Used as a cache key and to read a list two forms share once."""
    query = queryset.query
    return (
        query.model._meta.label if query.model else "",
        str(query.where),
        query.order_by,
        str(query.select_related),
        query.low_mark,
        query.high_mark,
    )


def _model_pairs(
    field: forms.ModelChoiceField, objects: Iterable[models.Model]
) -> Iterable[tuple[str, str]]:
    if field.empty_label is not None:
        yield "", str(field.empty_label)
    for obj in objects:
        yield str(field.prepare_value(obj)), str(field.label_from_instance(obj))


def describe_filters(form: forms.BaseForm, query: QueryDict) -> str:
    """The filter in words, for exports and the PDF header."""
    return "; ".join(chip["text"] for chip in active_filters(form, query))


def filter_context(
    *,
    form: forms.BaseForm,
    query: QueryDict,
    action: str,
    count: int | HitCount | None,
    keep: tuple[str, ...] = (),
    submit: str = "",
) -> dict[str, object]:
    """What ``issues/_filters.html`` needs: the form, the chips, the count, the hidden params
    (sort, page size) that the filter form must carry so they survive filtering."""
    cached_choices(form)
    kept = [(name, str(query.get(name))) for name in keep if query.get(name)]
    chips = active_filters(form, query)
    more = {bf.name for bf in form if bf.name in query and bf.name not in MAIN_FILTERS}
    return {
        "filter_form": form,
        "filter_submit": submit or _("Bruk filter"),
        "filter_action": action,
        "filter_chips": chips,
        "keep_params": kept,
        "reset_query": _encode(kept),
        "more_open": bool(more),
        "result_count": count,
        "result_count_text": count_text(count) if count is not None else "",
    }


def count_text(count: int | HitCount) -> str:
    """The count above a list; a capped count (the queue stops counting at a limit) says "over"."""
    if isinstance(count, HitCount):
        if count.more:
            return _("Over %(n)s saker passer filteret") % {"n": number(count.value)}
        count = count.value
    return ngettext("%(n)s sak passer filteret", "%(n)s saker passer filteret", count) % {
        "n": number(count)
    }


def _encode(pairs: list[tuple[str, str]]) -> str:
    query = QueryDict(mutable=True)
    for name, value in pairs:
        query[name] = value
    return query.urlencode()


def open_count_text(count: int) -> str:
    return ngettext("%(n)s åpen sak passer filteret", "%(n)s åpne saker passer filteret", count) % {
        "n": number(count)
    }
