"""The one filter component of the defect lists (queue, known defects, escalation, meeting).

A multi-choice filter is Designsystemet's Suggestion: ``<u-combobox class="ds-suggestion">`` with
a chip (``<data>``) per choice, a text box to search the options and a hidden ``<select multiple>``
that the element keeps in step and the form submits. Built in Python, not with one template per
option, because the queue is the page people open most.
"""

from collections.abc import Iterable
from typing import Any

from django import forms, template
from django.forms.boundfield import BoundField
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from issues.filter_display import MAIN_FILTERS, choice_pairs

register = template.Library()


def _screen_reader_texts() -> dict[str, str]:
    # u-combobox announces these; its defaults are English.
    return {
        "data-sr-added": _("Lagt til"),
        "data-sr-removed": _("Fjernet"),
        "data-sr-empty": _("Alle"),
        "data-sr-found": _("%d valgt, gå til venstre for å se dem"),
        "data-sr-invalid": _("Ugyldig valg"),
        "data-sr-items": _("Valgte"),
        "data-sr-of": _("av"),
        "data-sr-remove": _("trykk for å fjerne"),
    }


def _selected(field: BoundField) -> set[str]:
    value = field.value()
    if value is None:
        return set()
    if isinstance(value, str | int):
        return {str(value)}
    return {str(v) for v in value}


def _choices(field: BoundField) -> Iterable[tuple[str, str]]:
    pairs = choice_pairs(field.field)
    return ((key, label) for key, label in pairs if key not in ("", "None"))


def suggestion(field: BoundField) -> SafeString:
    selected = _selected(field)
    choices = list(_choices(field))
    chosen = [(k, label) for k, label in choices if k in selected]
    chip_ids = [f"{field.auto_id}-chip-{k}" for k, _label in chosen]
    chips = format_html_join(
        "",
        '<data class="ds-chip" data-removable id="{}" value="{}">{}</data>',
        ((f"{field.auto_id}-chip-{k}", k, label) for k, label in chosen),
    )
    # u-combobox gives its chips role=option inside a listbox <slot> of its shadow root, which
    # axe (and some screen readers) do not see as their parent; this element owns them in the
    # accessibility tree instead (static/js/app.js keeps aria-owns in step).
    label = f"{field.label}: {_('Valgte')}"
    owned = {"role": "listbox", "aria-label": label, "aria-owns": " ".join(chip_ids)}
    owner = format_html(
        '<span class="chip-owner" id="{}-chips" data-label="{}"{}></span>',
        field.auto_id,
        label,
        flatatt(owned if chip_ids else {}),
    )
    options = format_html_join(
        "", '<u-option value="{}">{}</u-option>', ((k, label) for k, label in choices)
    )
    picked = format_html_join(
        "",
        '<option value="{}" selected>{}</option>',
        ((k, label) for k, label in choices if k in selected),
    )
    described = f' aria-describedby="{field.auto_id}_error"' if field.errors else ""
    return format_html(
        '<u-combobox class="ds-suggestion" data-multiple{}>{}'
        '<input class="ds-input" id="{}" type="text" autocomplete="off" placeholder="{}"{}>'
        '<del aria-label="{}"></del>'
        '<u-datalist data-sr-singular="{}" data-sr-plural="{}">{}</u-datalist>'
        '<select name="{}" multiple hidden>{}</select></u-combobox>{}',
        flatatt(_screen_reader_texts()),
        chips,
        field.auto_id,
        _("Alle") if not selected else "",
        mark_safe(described),  # noqa: S308 - built from the field's own id
        _("Tøm søket"),
        _("%d treff"),
        _("%d treff"),
        options,
        field.html_name,
        picked,
        owner,
    )


def plain_select(field: BoundField, empty: str) -> SafeString:
    """A single choice with "Alle" (not "Ukjent" or "---------") for no choice."""
    selected = _selected(field) or {""}
    labels = {"true": _("Ja"), "false": _("Nei")}
    if isinstance(field.field.widget, forms.NullBooleanSelect):
        items = [("unknown", empty), ("true", labels["true"]), ("false", labels["false"])]
        selected = {"unknown"} if selected & {"", "unknown", "None"} else selected
        selected = {"true"} if selected & {"True", "true"} else selected
        selected = {"false"} if selected & {"False", "false"} else selected
    else:
        items = [("", empty), *_choices(field)]
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((k, mark_safe(" selected") if k in selected else "", label) for k, label in items),
    )
    return format_html(
        '<select class="ds-input" id="{}" name="{}">{}</select>',
        field.auto_id,
        field.html_name,
        options,
    )


@register.simple_tag
def filter_widget(field: BoundField) -> SafeString:
    widget = field.field.widget
    if isinstance(widget, forms.SelectMultiple):
        return suggestion(field)
    if isinstance(widget, forms.Select):
        return plain_select(field, _("Alle"))
    attrs: dict[str, Any] = {"class": "ds-input"}
    if isinstance(widget, forms.TextInput) and field.name == "q":
        attrs["type"] = "search"
    if field.errors:
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{field.auto_id}_error"
    return field.as_widget(attrs=attrs)


@register.simple_tag
def split_filters(form: forms.BaseForm) -> tuple[list[BoundField], list[BoundField]]:
    main = [form[name] for name in MAIN_FILTERS if name in form.fields]
    more = [bf for bf in form if bf.name not in MAIN_FILTERS]
    return main, more
