"""The dashboard's defects opened and closed per week and its "affects us too" records per
institution (issue 17, "growth to 1,000,000").

On PostgreSQL from the aggregates the triggers keep (migrations 0014 and 0016): the opened defects
per reported-on local date (``issues_dashboardage``), the closed ones per closed-on local date
(``issues_dashboardclosed``), the records per institution and confidential flag
(``issues_dashboardaffects``, whose confidential rows are kept per owner, 0019). Users who do not
see everything read the non-confidential rows and their own records' rows, and count their own
confidential defects opened and closed directly (``defect_own_confidential_idx``). On SQLite (no
triggers) everything is counted directly.

Weeks are Monday-start weeks of local calendar days (settings.TIME_ZONE), the last WEEKS weeks
counted from the local date: the first day is today's local date less WEEKS weeks, from its local
midnight (before the aggregates the cut-off was the UTC midnight, up to two hours apart).
"""

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from issues import permissions
from issues.models import AffectsUs, Defect, Institution
from issues.permissions import AnyUser

WEEKS = 12


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def per_week(user: AnyUser, visible: QuerySet[Defect], *, now: dt.datetime) -> list[dict[str, Any]]:
    """``[{"week": Monday's ISO date, "opened": n, "closed": n}]`` for the weeks with any, in
    order, over the defects ``user`` sees."""
    since = now.astimezone(_zone()).date() - dt.timedelta(weeks=WEEKS)
    opened: Counter[dt.date] = Counter()
    closed: Counter[dt.date] = Counter()
    scope = permissions.defect_scope(user)
    if connection.vendor != "postgresql":
        _count_days(visible, since, opened, closed)
    elif scope != "none":
        _read_days(since, opened, closed, public_only=scope != "all")
        if scope == "public_and_own":
            _count_own_days(user, since, opened, closed)
    weeks_opened, weeks_closed = _weeks(opened), _weeks(closed)
    return [
        {"week": w.isoformat(), "opened": weeks_opened[w], "closed": weeks_closed[w]}
        for w in sorted({*weeks_opened, *weeks_closed})
    ]


def _weeks(days: Counter[dt.date]) -> Counter[dt.date]:
    weeks: Counter[dt.date] = Counter()
    for day, n in days.items():
        if n:
            weeks[day - dt.timedelta(days=day.weekday())] += n
    return weeks


def _count_days(
    defects: QuerySet[Defect], since: dt.date, opened: Counter[dt.date], closed: Counter[dt.date]
) -> None:
    """Add ``defects`` opened and closed per local date from ``since`` on, counted directly."""
    start = dt.datetime.combine(since, dt.time.min, _zone())
    for column, into in (("created_at", opened), ("closed_at", closed)):
        rows = (
            defects.filter(**{f"{column}__gte": start})
            .annotate(day=TruncDate(column, tzinfo=_zone()))
            .order_by()
            .values_list("day")
            .annotate(n=Count("*"))
            .values_list("day", "n")
        )
        into.update(dict(rows))


def _count_own_days(
    user: AnyUser, since: dt.date, opened: Counter[dt.date], closed: Counter[dt.date]
) -> None:
    """Add the user's own confidential defects opened and closed per local date from ``since``:
    one index-only scan of just those (``defect_own_confidential_idx``), dated here."""
    start = dt.datetime.combine(since, dt.time.min, _zone())
    rows = (
        Defect.objects.filter(reporter_id=user.pk, confidential=True)
        .filter(Q(created_at__gte=start) | Q(closed_at__gte=start))
        # Not the model's ordering: its columns are not in the index, and a sort needs none.
        .order_by()
        .values_list("created_at", "closed_at")
    )
    for created_at, closed_at in rows:
        for at, into in ((created_at, opened), (closed_at, closed)):
            if at is not None and at >= start:
                into[timezone.localdate(at, _zone())] += 1


# One statement: the opened and closed halves from one snapshot. The confidential rows' filter
# is in the text rather than a parameter, so that the date range is an index range either way.
_DAYS_SQL = """
SELECT false, created_on, sum(n) FROM issues_dashboardage
WHERE created_on >= %(since)s {public}
GROUP BY created_on
UNION ALL
SELECT true, closed_on, sum(n) FROM issues_dashboardclosed
WHERE closed_on >= %(since)s {public}
GROUP BY closed_on
"""


def _read_days(
    since: dt.date, opened: Counter[dt.date], closed: Counter[dt.date], *, public_only: bool
) -> None:
    sql = _DAYS_SQL.format(public="AND NOT confidential" if public_only else "")
    with connection.cursor() as cursor:
        cursor.execute(sql, {"since": since})
        for is_closed, day, n in cursor.fetchall():
            (closed if is_closed else opened)[day] += int(n)


def affects_by_institution(user: AnyUser, visible: QuerySet[Defect]) -> list[dict[str, Any]]:
    """``[{"institution": code, "count": n}]``: the "affects us too" records per institution on
    the defects ``user`` sees, by institution code."""
    scope = permissions.defect_scope(user)
    if connection.vendor != "postgresql":
        affects = AffectsUs.objects.all()
        if scope != "all":
            affects = affects.filter(defect__in=visible.values("pk"))
        counts = _count_records(affects)
    elif scope == "none":
        counts = Counter()
    else:
        # The records on a reporter's own confidential defects are in the aggregate under them
        # as owner (migration 0019).
        counts = _read_records(owner=None if scope == "all" else user.pk)
    institutions = dict(Institution.objects.values_list("pk", "code"))
    rows = [{"institution": institutions.get(pk, "?"), "count": n} for pk, n in counts.items() if n]
    rows.sort(key=lambda r: str(r["institution"]))
    return rows


def _count_records(affects: QuerySet[AffectsUs]) -> Counter[int]:
    rows: Iterable[tuple[int, int]] = (
        affects.order_by()
        .values_list("institution_id")
        .annotate(n=Count("*"))
        .values_list("institution_id", "n")
    )
    return Counter(dict(rows))


_RECORDS_SQL = "SELECT institution_id, sum(n) FROM issues_dashboardaffects GROUP BY institution_id"
_OWN_RECORDS_SQL = (
    "SELECT institution_id, sum(n) FROM issues_dashboardaffects "
    "WHERE NOT confidential OR owner = %s GROUP BY institution_id"
)


def _read_records(*, owner: int | None) -> Counter[int]:
    """Every record (``owner`` None), or those on defects that are not confidential and on
    ``owner``'s own confidential ones."""
    with connection.cursor() as cursor:
        if owner is None:
            cursor.execute(_RECORDS_SQL)
        else:
            cursor.execute(_OWN_RECORDS_SQL, [owner])
        return Counter({pk: int(n) for pk, n in cursor.fetchall()})
