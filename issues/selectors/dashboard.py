"""The dashboard's numbers, aggregated in SQL over the defects the user may see."""

from collections import defaultdict
from typing import Any

from django.utils import timezone

from issues import permissions
from issues.models import Area
from issues.permissions import AnyUser
from issues.selectors import dashboard_counts, dashboard_weeks
from issues.selectors.dashboard_counts import AGE_BUCKETS


def dashboard(*, user: AnyUser) -> dict[str, Any]:
    """Every chart's numbers, aggregated in SQL over the defects the user may see.

    On PostgreSQL every chart comes from maintained aggregates (issues.selectors.dashboard_counts
    for the open defects' area × tier, age and workaround cost, issues.selectors.dashboard_weeks
    for the weeks and the "affects us too" records): their cost does not grow with the number of
    defects.
    """
    visible = permissions.visible_defects(user)
    reference = list(Area.objects.only("pk", "code", "name_nb", "name_en"))
    areas = {a.pk: a.code for a in reference}
    now = timezone.now()
    open_groups, ages = dashboard_counts.open_groups(user, visible)
    data: dict[str, Any] = {
        "by_area_tier": _by_area_tier(open_groups, areas=areas),
        "per_week": dashboard_weeks.per_week(user, visible, now=now),
        "age": [
            {"bucket": label, "count": n}
            for (label, _lo, _hi), n in zip(AGE_BUCKETS, ages, strict=True)
        ],
        "cost_by_area": _cost_by_area(open_groups, areas=areas),
        "affects_by_institution": dashboard_weeks.affects_by_institution(user, visible),
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
