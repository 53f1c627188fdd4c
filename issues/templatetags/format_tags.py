from decimal import Decimal

from django import template

from issues import formatting

register = template.Library()


@register.filter
def num(value: int | float | Decimal | None, decimals: int = 0) -> str:
    """``{{ cost|num:1 }}``: a number in the page's language (see ``issues.formatting``)."""
    return formatting.number(value, int(decimals))
