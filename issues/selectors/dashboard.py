"""The dashboard's numbers, aggregated in SQL over the defects the user may see."""

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone

from issues import permissions, workflow
from issues.models import AffectsUs, Area, Defect, Institution
from issues.permissions import AnyUser

AGE_BUCKETS = (
    ("0-7", 0, 7),
    ("8-30", 8, 30),
    ("31-90", 31, 90),
    ("91-365", 91, 365),
    (">365", 366, None),
)


WEEKS = 12


def dashboard(*, user: AnyUser) -> dict[str, Any]:
    """Every chart's numbers, aggregated in SQL over the defects the user may see.

    One grouped query over the defects feeds three charts (area × tier, age, workaround cost);
    for the management team it is answered from ``defect_dashboard_idx`` alone.
    """
    visible = permissions.visible_defects(user)
    reference = list(Area.objects.only("pk", "code", "name_nb", "name_en"))
    areas = {a.pk: a.code for a in reference}
    now = timezone.now()
    open_groups = _open_groups(visible, now=now)
    data: dict[str, Any] = {
        "by_area_tier": _by_area_tier(open_groups, areas=areas),
        "per_week": _per_week(visible, now=now),
        "age": _age(open_groups),
        "cost_by_area": _cost_by_area(open_groups, areas=areas),
        "affects_by_institution": _affects_by_institution(user, visible),
    }
    # Charts and tables are read in meetings: the area's name in the user's language, not its code.
    data["area_labels"] = {a.code: a.name for a in reference}
    return data


def _open_groups(visible: QuerySet[Defect], *, now: dt.datetime) -> list[dict[str, Any]]:
    """The open defects counted per (status, area, tier), with workaround hours and age buckets.

    Row keys: ``status``, ``area_id``, ``tier``, ``n``, ``hours`` and ``b0``… per AGE_BUCKETS.
    """
    age_filters = {
        f"b{i}": Count(
            "created_at",
            filter=Q(created_at__lte=now - dt.timedelta(days=lo))
            & (Q() if hi is None else Q(created_at__gt=now - dt.timedelta(days=hi + 1))),
        )
        for i, (_label, lo, hi) in enumerate(AGE_BUCKETS)
    }
    # Grouped by status as well and filtered here rather than in SQL: that lets PostgreSQL
    # read defect_dashboard_idx alone (index-only, in index order) instead of the table.
    return [
        row
        for row in (
            visible.order_by()
            .values("status", "area_id", "tier")
            .annotate(n=Count("*"), hours=Sum("workaround_hours_per_week"), **age_filters)
        )
        if row["status"] in workflow.OPEN_STATUSES
    ]


def _by_area_tier(
    open_groups: list[dict[str, Any]], *, areas: dict[int, str]
) -> list[dict[str, Any]]:
    by_area_tier: dict[str, dict[int, int]] = {}
    for row in open_groups:
        code = areas.get(row["area_id"], "?")
        # One row per open status: add them up.
        by_area_tier.setdefault(code, {1: 0, 2: 0, 3: 0})[row["tier"]] += row["n"]
    return [
        {"area": a, "tier1": t[1], "tier2": t[2], "tier3": t[3]}
        for a, t in sorted(by_area_tier.items())
    ]


def _age(open_groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"bucket": label, "count": sum(row[f"b{i}"] for row in open_groups)}
        for i, (label, _lo, _hi) in enumerate(AGE_BUCKETS)
    ]


def _cost_by_area(
    open_groups: list[dict[str, Any]], *, areas: dict[int, str]
) -> list[dict[str, Any]]:
    cost: dict[str, float] = defaultdict(float)
    for row in open_groups:
        cost[areas.get(row["area_id"], "?")] += float(row["hours"] or 0)
    return [{"area": a, "hours": h} for a, h in sorted(cost.items())]


def _per_week(visible: QuerySet[Defect], *, now: dt.datetime) -> list[dict[str, Any]]:
    """Defects opened and closed per week over the last WEEKS weeks."""
    since = (now - dt.timedelta(weeks=WEEKS)).replace(hour=0, minute=0, second=0, microsecond=0)
    opened = dict(
        visible.filter(created_at__gte=since)
        .annotate(week=TruncWeek("created_at"))
        .order_by()
        .values_list("week")
        .annotate(n=Count("*"))
        .values_list("week", "n")
    )
    closed = dict(
        visible.filter(closed_at__gte=since)
        .annotate(week=TruncWeek("closed_at"))
        .order_by()
        .values_list("week")
        .annotate(n=Count("*"))
        .values_list("week", "n")
    )
    return [
        {"week": w.date().isoformat(), "opened": opened.get(w, 0), "closed": closed.get(w, 0)}
        for w in sorted({*opened, *closed})
    ]


def _affects_by_institution(user: AnyUser, visible: QuerySet[Defect]) -> list[dict[str, Any]]:
    """The "affects us too" records per institution, on the defects the user may see."""
    affects = AffectsUs.objects.all()
    if not permissions.sees_everything(user):
        affects = affects.filter(defect__in=visible.values("pk"))
    institutions = dict(Institution.objects.values_list("pk", "code"))
    affects_by_institution = [
        {"institution": institutions.get(pk, "?"), "count": n}
        for pk, n in affects.order_by()
        .values_list("institution_id")
        .annotate(n=Count("*"))
        .values_list("institution_id", "n")
    ]
    affects_by_institution.sort(key=lambda r: str(r["institution"]))
    return affects_by_institution
