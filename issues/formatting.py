"""Numbers in the user's language: "12 345,5" in bokmål (decimal comma, thin space between
thousands), "12,345.5" in English. Dates use the locale's own formats ("1. desember 2026")."""

from decimal import Decimal

from django.utils import formats

# Norwegian typography wants a thin space between thousands; the narrow *no-break* space is that
# width and never lets "12 345" wrap, where Django's bokmål format has a full no-break space.
NARROW_NBSP = "\u202f"


def number(value: int | float | Decimal | None, decimals: int = 0) -> str:
    if value is None:
        return "–"
    text = formats.number_format(value, decimals, use_l10n=True, force_grouping=True)
    return text.replace("\xa0", NARROW_NBSP)


def file_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{number(size / 1024 / 1024, 1)} MB"
    return f"{number(max(1, round(size / 1024)))} kB"
