"""Template helpers for the reporting pages: Designsystemet inputs, sanitised markdown and the
colour of a status tag."""

from typing import Any

from django import forms, template
from django.utils.safestring import SafeString

from issues import formatting, workflow
from issues.rendering import render_markdown

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    return render_markdown(text or "")


@register.simple_tag
def ds_widget(field: forms.BoundField, **extra: Any) -> SafeString:
    """The field's input with Designsystemet's class and its help/error text wired to it."""
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_help")
    if field.errors:
        described.append(f"{field.auto_id}_error")
    attrs: dict[str, Any] = {
        "class": "ds-input",
        **{k.replace("_", "-"): v for k, v in extra.items()},
    }
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.filter
def filesize(size: int) -> str:
    return formatting.file_size(size)


@register.filter
def status_color(status: str) -> str:
    """The Designsystemet colour of a status tag, from the workflow's status groups."""
    if status in workflow.FIXED_STATUSES:
        return "success"
    if status in workflow.DISCARDED_STATUSES:
        return "neutral"
    if status in workflow.UNTRIAGED_STATUSES:
        return "warning"
    return "info"
