from django import forms, template
from django.forms.boundfield import BoundField
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from issues import permissions
from issues.filter_display import choice_pairs

register = template.Library()


@register.filter
def can_triage(user: permissions.AnyUser) -> bool:
    return permissions.can_triage(user)


@register.filter
def can_prepare_meeting(user: permissions.AnyUser) -> bool:
    return permissions.sees_everything(user)


@register.filter
def fast_select(field: BoundField) -> str:
    """A <select> built in Python: Django's widget templates render one template per <option>,
    which made up a third of the triage queue's time. Other widgets render as usual."""
    widget = field.field.widget
    if not isinstance(widget, forms.Select) or isinstance(widget, forms.RadioSelect):
        return str(field)
    formatted = widget.format_value(field.value())
    selected = {formatted} if isinstance(formatted, str) else set(formatted)
    attrs = widget.build_attrs(widget.attrs, {"id": field.auto_id, "name": field.html_name})
    if isinstance(widget, forms.SelectMultiple):
        attrs["multiple"] = True
    if field.errors:
        attrs["aria-invalid"] = "true"
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (key, mark_safe(" selected") if key in selected else "", label)
            for key, label in choice_pairs(field.field)
        ),
    )
    return format_html("<select{}>{}</select>", flatatt(attrs), options)
