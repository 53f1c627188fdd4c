"""The dashboard's open defects counted per (status, area, tier), with their workaround hours and
their ages (issue 17, "growth to 1,000,000").

On PostgreSQL from the aggregates the defect triggers keep (migration 0014, issues.models.dashboard):
a few hundred rows of counts and a year's dates of ages, however many defects there are. Users
who do not see everything read the non-confidential aggregate rows and count their own
confidential defects directly (``defect_reporter_idx``). On SQLite (no triggers) everything is
counted directly.

Ages are whole local calendar days (settings.TIME_ZONE) on both paths: a defect reported
yesterday evening is 1 day old this morning. A defect dated after today is in no bucket.
"""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from issues import permissions, workflow
from issues.models import DashboardCount, Defect
from issues.permissions import AnyUser

# (label, from days, to days inclusive or None): the last bucket is open-ended.
AGE_BUCKETS = (
    ("0-7", 0, 7),
    ("8-30", 8, 30),
    ("31-90", 31, 90),
    ("91-365", 91, 365),
    (">365", 366, None),
)
_BOUNDED = [(lo, hi) for _label, lo, hi in AGE_BUCKETS if hi is not None]
_OLDEST_FROM = AGE_BUCKETS[-1][1]

Groups = list[dict[str, Any]]


def open_groups(user: AnyUser, visible: QuerySet[Defect]) -> tuple[Groups, list[int]]:
    """The open defects ``user`` sees, as rows of ``status``, ``area_id``, ``tier``, ``n`` and
    ``hours``, and their count per AGE_BUCKETS."""
    today = timezone.localdate(timezone=_zone())
    if connection.vendor != "postgresql":
        return _counted(visible, today)
    scope = permissions.defect_scope(user)
    if scope == "none":
        return [], [0] * len(AGE_BUCKETS)
    if scope == "all":
        return _from_aggregates(today, public_only=False)
    own = Defect.objects.filter(reporter_id=user.pk, confidential=True)
    return _merged(_from_aggregates(today, public_only=True), _counted(own, today))


def open_total() -> int | None:
    """How many defects are open, from the aggregate: for views that count every defect (no
    filter, no visibility rule). None on SQLite, where there is no aggregate to read."""
    if connection.vendor != "postgresql":
        return None
    total = DashboardCount.objects.filter(status__in=workflow.OPEN_STATUSES).aggregate(n=Sum("n"))
    return int(total["n"] or 0)


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _counted(defects: QuerySet[Defect], today: dt.date) -> tuple[Groups, list[int]]:
    """Counted from the defects themselves, ages by local date like the aggregates."""

    def midnight(days_ago: int) -> dt.datetime:
        return dt.datetime.combine(today - dt.timedelta(days=days_ago), dt.time.min, _zone())

    buckets = {
        f"b{i}": Count(
            "pk",
            # Reported on a local date from today - hi to today - lo, both included.
            filter=Q(created_at__lt=midnight(lo - 1))
            & (Q() if hi is None else Q(created_at__gte=midnight(hi))),
        )
        for i, (_label, lo, hi) in enumerate(AGE_BUCKETS)
    }
    rows = list(
        defects.filter(status__in=workflow.OPEN_STATUSES)
        .order_by()
        .values("status", "area_id", "tier")
        .annotate(n=Count("*"), hours=Sum("workaround_hours_per_week"), **buckets)
    )
    ages = [sum(row.pop(f"b{i}") for row in rows) for i in range(len(AGE_BUCKETS))]
    return rows, ages


# One statement, so the counts and the ages come from one snapshot: the oldest bucket is the
# total less the recent dates, which must not be read from before and after a write.
_AGGREGATES_SQL = """
SELECT status, area_id, tier, NULL AS bucket, sum(n) AS n, sum(hours) AS hours
FROM issues_dashboardcount
WHERE status = ANY(%(open)s) AND (confidential = false OR NOT %(public_only)s)
GROUP BY status, area_id, tier
UNION ALL
SELECT NULL, NULL, NULL, CASE {cases} ELSE -1 END, sum(n), NULL
FROM issues_dashboardage
WHERE created_on >= %(recent_from)s AND status = ANY(%(open)s)
  AND (confidential = false OR NOT %(public_only)s)
GROUP BY 4
""".format(
    cases=" ".join(
        f"WHEN created_on BETWEEN %(from{i})s AND %(to{i})s THEN {i}" for i in range(len(_BOUNDED))
    )
)


def _from_aggregates(today: dt.date, *, public_only: bool) -> tuple[Groups, list[int]]:
    params: dict[str, Any] = {
        "open": sorted(workflow.OPEN_STATUSES),
        "public_only": public_only,
        # The dates younger than the oldest bucket; every older one is in it.
        "recent_from": today - dt.timedelta(days=_OLDEST_FROM - 1),
    }
    for i, (lo, hi) in enumerate(_BOUNDED):
        params[f"from{i}"] = today - dt.timedelta(days=hi)
        params[f"to{i}"] = today - dt.timedelta(days=lo)
    groups: Groups = []
    ages = [0] * len(AGE_BUCKETS)
    recent = 0
    with connection.cursor() as cursor:
        cursor.execute(_AGGREGATES_SQL, params)
        for status, area_id, tier, bucket, n, hours in cursor.fetchall():
            if bucket is None:
                groups.append(
                    {"status": status, "area_id": area_id, "tier": tier, "n": n, "hours": hours}
                )
                continue
            recent += n
            if bucket >= 0:  # -1: dated after today
                ages[bucket] = int(n)
    for row in groups:
        row["n"] = int(row["n"])
    ages[-1] = sum(row["n"] for row in groups) - recent
    return groups, ages


def _merged(*parts: tuple[Groups, list[int]]) -> tuple[Groups, list[int]]:
    """The sum of ``parts``, one row per (status, area, tier)."""
    merged: dict[tuple[str, int, int], dict[str, Any]] = {}
    for groups, _ages in parts:
        for row in groups:
            key = (row["status"], row["area_id"], row["tier"])
            into = merged.setdefault(key, {**row, "n": 0, "hours": None})
            into["n"] += row["n"]
            into["hours"] = _add(into["hours"], row["hours"])
    ages: Iterable[tuple[int, ...]] = zip(*(a for _g, a in parts), strict=True)
    return list(merged.values()), [sum(column) for column in ages]


def _add(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return b if a is None else a if b is None else a + b
