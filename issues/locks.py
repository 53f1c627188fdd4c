"""A PostgreSQL advisory lock held while one worker sends a mail run or delivery.

The digests and the daily/weekly summaries both send exactly once per row even when beat, a
retry and a manual "Send nå" race: whoever takes the lock sends, the others skip.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection


@contextmanager
def try_advisory_lock(namespace: int, key: int) -> Iterator[bool]:
    """Yields whether the lock (``namespace``, ``key``) was taken; released on leaving."""
    if connection.vendor != "postgresql":
        yield True  # SQLite laptop default: eager tasks, one process
        return
    params = [namespace, key % 2**31]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", params)
        got = bool(cursor.fetchone()[0])
    try:
        yield got
    finally:
        if got:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", params)
