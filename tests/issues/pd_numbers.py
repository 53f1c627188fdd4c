"""Builders of valid test numbers, written independently of issues.personal_data."""


def _check(digits: str, weights: tuple[int, ...]) -> int | None:
    k = 11 - sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11
    return 0 if k == 11 else None if k == 10 else k


def national_id(birth: str, individual: int) -> str | None:
    """DDMMYY + 3-digit individual number -> a valid 11-digit number, or None if none exists."""
    base = f"{birth}{individual:03d}"
    k1 = _check(base, (3, 7, 6, 1, 8, 9, 4, 5, 2))
    if k1 is None:
        return None
    k2 = _check(base + str(k1), (5, 4, 3, 2, 7, 6, 5, 4, 3, 2))
    if k2 is None:
        return None
    return f"{base}{k1}{k2}"


def first_national_id(birth: str) -> str:
    for i in range(1000):
        number = national_id(birth, i)
        if number:
            return number
    raise AssertionError("no valid number for that date")


def account_number(prefix10: str) -> str | None:
    k = _check(prefix10, (5, 4, 3, 2, 7, 6, 5, 4, 3, 2))
    return None if k is None else prefix10 + str(k)
