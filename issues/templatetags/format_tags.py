from decimal import Decimal

from django import template

from issues import formatting

register = template.Library()


@register.filter
def num(value: int | float | Decimal | None, decimals: int = 0) -> str:
    """``{{ cost|num:1 }}``: a number in the page's language (see ``issues.formatting``)."""
    return formatting.number(value, int(decimals))


@register.filter
def label_of(labels: dict[str, str], code: str) -> str:
    """``{{ data.area_labels|label_of:row.area }}``: the name for a code, the code if none."""
    return labels.get(code, code)
