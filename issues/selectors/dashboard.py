"""The dashboard's numbers, aggregated in SQL over the defects the user may see."""

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncWeek
from django.utils import timezone

from issues import permissions
from issues.models import AffectsUs, Area, Defect, Institution
from issues.permissions import AnyUser
from issues.selectors import dashboard_counts
from issues.selectors.dashboard_counts import AGE_BUCKETS

WEEKS = 12


def dashboard(*, user: AnyUser) -> dict[str, Any]:
    """Every chart's numbers, aggregated in SQL over the defects the user may see.

    The open defects' three charts (area × tier, age, workaround cost) come from the maintained
    aggregates on PostgreSQL (issues.selectors.dashboard_counts): their cost does not grow with
    the number of defects.
    """
    visible = permissions.visible_defects(user)
    reference = list(Area.objects.only("pk", "code", "name_nb", "name_en"))
    areas = {a.pk: a.code for a in reference}
    now = timezone.now()
    open_groups, ages = dashboard_counts.open_groups(user, visible)
    data: dict[str, Any] = {
        "by_area_tier": _by_area_tier(open_groups, areas=areas),
        "per_week": _per_week(visible, now=now),
        "age": [
            {"bucket": label, "count": n}
            for (label, _lo, _hi), n in zip(AGE_BUCKETS, ages, strict=True)
        ],
        "cost_by_area": _cost_by_area(open_groups, areas=areas),
        "affects_by_institution": _affects_by_institution(user, visible),
    }
    # Charts and tables are read in meetings: the area's name in the user's language, not its code.
    data["area_labels"] = {a.code: a.name for a in reference}
    return data


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
