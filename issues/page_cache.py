"""Cached parts of the busiest pages, valid until the data they show changes (issue 17).

A transaction that writes to a table the cached parts read bumps one PostgreSQL sequence when it
commits (triggers, migration 0011), so "the data has not changed" is one cheap read and the
cache never needs to know which service wrote what: bulk updates, imports, the admin and raw SQL
all count. A cached part's key holds that data version, the user's language, the viewer's scope
and the minute (ages and "days old" move with the clock), so a hit is what a fresh render would
have shown in that minute.

The bump runs at the commit, just before the new rows become visible to others: a page rendered
in that instant can still keep the old rows under the new version, for what is left of the
minute at most (the minute is in the key; ``TTL`` only clears the dead entries away).

Choice lists (areas, releases, …) are kept under a second version that only writes to the
reference tables move (migration 0017, ``reference_cached``), with the minute as above: an edit of
a defect does not drop them, so the first reader after it does not read seven small tables again.

Nothing is cached inside a transaction (the rows seen there may never commit), on SQLite (no
trigger: the laptop default always renders), when the query holds personal data, or while the
cache cannot be reached (the page renders as if there were no cache).
"""

import hashlib
import logging
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.translation import get_language

from issues import permissions
from issues.permissions import AnyUser
from issues.personal_data import contains_personal_data
from issues.throttle import CACHE_ERRORS

log = logging.getLogger(__name__)

T = TypeVar("T")

TTL = 60
_VERSION_SQL = "SELECT last_value, is_called FROM {}"


def _version(sequence: str) -> int | None:
    if not settings.PAGE_CACHE or connection.vendor != "postgresql" or connection.in_atomic_block:
        return None
    with connection.cursor() as cursor:
        cursor.execute(_VERSION_SQL.format(sequence))
        last_value, is_called = cursor.fetchone()
    return int(last_value) if is_called else 0


def data_version() -> int | None:
    """The current data version, or None where nothing may be cached."""
    return _version("issues_data_version")


def reference_version() -> int | None:
    """The current version of the reference tables (migration 0017), or None as above."""
    return _version("issues_reference_version")


def scope(user: AnyUser) -> str:
    """Who sees the same rows: everyone who sees everything shares; others see their own."""
    return "all" if permissions.sees_everything(user) else f"user-{user.pk}"


def cached(name: str, user: AnyUser, parts: tuple[object, ...], build: Callable[[], T]) -> T:
    """``build()``'s result for this page state, from the cache when the data has not changed."""
    version = data_version()
    if version is None:
        return build()
    minute = timezone.now().strftime("%Y%m%d%H%M")
    return _kept(name, (version, minute, get_language(), scope(user), parts), build)


def reference_cached(name: str, parts: tuple[object, ...], build: Callable[[], T]) -> T:
    """``build()``'s result while the reference tables are unchanged: for what reads only them
    (migration 0017's TABLES) and is the same for every user, such as a form's choice lists."""
    version = reference_version()
    if version is None:
        return build()
    # The minute as for ``cached``: a list built in the instant between the bump and the commit
    # becoming visible keeps the old rows for what is left of that minute, not for longer.
    minute = timezone.now().strftime("%Y%m%d%H%M")
    return _kept(f"ref-{name}", (version, minute, get_language(), parts), build)


def _kept(name: str, state: tuple[object, ...], build: Callable[[], T]) -> T:
    raw = repr((name, *state))
    key = f"page:{name}:{hashlib.sha256(raw.encode()).hexdigest()}"
    try:
        found = cache.get(key)
    except CACHE_ERRORS as exc:
        log.warning("page cache unavailable, rendering %s: %s", name, exc)
        return build()
    if found is not None:
        return found
    value = build()
    try:
        cache.set(key, value, TTL)
    except CACHE_ERRORS as exc:
        log.warning("page cache unavailable, not keeping %s: %s", name, exc)
    return value


def cached_for_query(name: str, request: HttpRequest, build: Callable[[], T]) -> T:
    """``cached`` for a page whose state is its query string. A query that holds a national ID
    or an account number (typed into the search box) is rendered but never kept."""
    return cached_for_params(name, request.user, request.GET, build)


def cached_for_params(name: str, user: AnyUser, params: QueryDict, build: Callable[[], T]) -> T:
    """``cached`` for a part whose state is ``params``; never kept for personal data in them."""
    lists = sorted(params.lists())
    if any(contains_personal_data(text) for key, values in lists for text in (key, *values)):
        return build()
    return cached(name, user, tuple((key, tuple(values)) for key, values in lists), build)
