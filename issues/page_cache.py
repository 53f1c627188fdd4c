"""Cached parts of the busiest pages, valid until the data they show changes (issue 17).

Every write to a table the cached parts show bumps one PostgreSQL sequence (a statement trigger,
migration 0011), so "the data has not changed" is one cheap read and the cache never needs to
know which service wrote what: bulk updates, imports, the admin and raw SQL all count. A cached
part's key holds that data version, the user's language, the viewer's scope and the minute (ages
and "days old" move with the clock), so a hit is exactly what a fresh render would have shown in
that minute.

One race is left, by design: a write bumps the version when its statement runs, before it
commits. A page rendered in that gap reads the new version but not yet the new rows, and would
cache the old rows under it; the short lifetime (``TTL``) bounds how long such a part can live.

Nothing is cached inside a transaction (the rows seen there may never commit), on SQLite (no
trigger: the laptop default always renders), nor when the query holds personal data.
"""

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django.utils.translation import get_language

from issues import permissions
from issues.permissions import AnyUser
from issues.personal_data import contains_personal_data

T = TypeVar("T")

TTL = 120
_VERSION_SQL = "SELECT last_value, is_called FROM issues_data_version"


def data_version() -> int | None:
    """The current data version, or None where nothing may be cached."""
    if not settings.PAGE_CACHE or connection.vendor != "postgresql" or connection.in_atomic_block:
        return None
    with connection.cursor() as cursor:
        cursor.execute(_VERSION_SQL)
        last_value, is_called = cursor.fetchone()
    return int(last_value) if is_called else 0


def scope(user: AnyUser) -> str:
    """Who sees the same rows: everyone who sees everything shares; others see their own."""
    return "all" if permissions.sees_everything(user) else f"user-{user.pk}"


def cached(name: str, user: AnyUser, parts: tuple[object, ...], build: Callable[[], T]) -> T:
    """``build()``'s result for this page state, from the cache when the data has not changed."""
    version = data_version()
    # A page that echoes a typed national ID or account number (a search for one) is not kept.
    if version is None or any(contains_personal_data(str(part)) for part in parts):
        return build()
    minute = timezone.now().strftime("%Y%m%d%H%M")
    raw = repr((name, version, minute, get_language(), scope(user), parts))
    key = f"page:{name}:{hashlib.sha256(raw.encode()).hexdigest()}"
    found = cache.get(key)
    if found is not None:
        return found
    value = build()
    cache.set(key, value, TTL)
    return value
