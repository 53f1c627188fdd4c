"""What an escalation digest reports, read from the defects, their transitions and history;
and who receives it."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.db.models import F, Min, OuterRef, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from issues import permissions, workflow
from issues.digests import DigestData, DigestItem
from issues.models import (
    Defect,
    DefectStatus,
    DigestDelivery,
    DigestRecipient,
    DigestRun,
    HistoryKind,
    Meeting,
    StatusChange,
    User,
)
from issues.selectors.deadlines import (
    before_meeting_q,
    deadline_context,
    defect_deadline,
)
from issues.selectors.defects import LIST_RELATED, RANK_ORDER
from issues.selectors.queue_order import ranked_defects
from issues.selectors.releases import overdue_defects_q

SECTION_LIMIT = 100


COSTLY_LIMIT = 10


# --- recipients ----------------------------------------------------------------------------------
def may_receive_digest(user: User) -> bool:
    # The digest shows confidential defects: only those who may see them all receive it.
    return bool(user.is_active and user.email and permissions.sees_everything(user))


def digest_recipients() -> list[User]:
    """The kept list if anyone is active on it; otherwise the management team and the liaison,
    less those who unsubscribed (an inactive row)."""
    if DigestRecipient.objects.filter(active=True).exists():
        users = User.objects.filter(digest_subscription__active=True)
    else:
        groups = Group.objects.filter(
            name__in=[permissions.GROUP_MANAGEMENT, permissions.GROUP_LIAISON]
        )
        users = (
            User.objects.filter(groups__in=groups)
            .exclude(digest_subscription__active=False)
            .distinct()
        )
    return [u for u in users.order_by("email", "pk") if may_receive_digest(u)]


def digest_subscribed(user: User) -> bool | None:
    """Whether ``user`` receives the digest now; None if they may not receive it at all."""
    if not may_receive_digest(user):
        return None
    return any(u.pk == user.pk for u in digest_recipients())


# --- the archive: runs and their deliveries; the caller has checked can_manage_digests -------------
def digest_runs() -> QuerySet[DigestRun]:
    """Every run, newest first, without the bodies and spreadsheets a list does not show."""
    return DigestRun.objects.select_related("meeting").defer("attachment", "body_html")


def digest_run_or_404(*, pk: Any, with_attachment: bool = False) -> DigestRun:
    runs = DigestRun.objects.all() if with_attachment else DigestRun.objects.defer("attachment")
    return get_object_or_404(runs, pk=pk)


def digest_deliveries(*, run: DigestRun) -> QuerySet[DigestDelivery]:
    return run.deliveries.select_related("user").order_by("email")


def digest_delivery_count(*, run: DigestRun) -> int:
    return run.deliveries.count()


# --- digest data ---------------------------------------------------------------------------------
def _item(defect: Defect, note: str = "") -> DigestItem:
    return DigestItem(
        key=defect.key,
        title=defect.title,
        tier=defect.tier,
        status=str(defect.get_status_display()),
        area=defect.area.name_nb,
        url=settings.SITE_URL.rstrip("/") + defect.get_absolute_url(),
        dfo_reference=defect.dfo_reference,
        target_release=defect.target_release.name if defect.target_release else "",
        weekly_cost=defect.weekly_cost,
        workaround_hours=defect.workaround_hours_per_week,
        confidential=defect.confidential,
        note=note,
    )


def digest_defects() -> QuerySet[Defect]:
    return Defect.objects.select_related(*LIST_RELATED)


def _first_reached(status: str, start: dt.datetime, end: dt.datetime) -> list[DigestItem]:
    """Defects that reached ``status`` for the first time in the period, whatever they are now.

    Read from the first transition into the status, so a later return to it (reopened and
    reported again) or a merge record is not news.
    """
    first = dict(
        StatusChange.objects.filter(kind=HistoryKind.TRANSITION, to_status=status)
        .order_by()
        .values("defect_id")
        .annotate(first=Min("at"))
        .filter(first__gte=start, first__lt=end)
        .values_list("defect_id", "first")
    )
    found = digest_defects().filter(pk__in=list(first)).order_by(*RANK_ORDER)
    return [_item(d, f"{timezone.localtime(first[d.pk]):%d.%m.%Y}") for d in found[:SECTION_LIMIT]]


def _tier_changes(start: dt.datetime, end: dt.datetime) -> list[DigestItem]:

    history = Defect.history.model
    previous = (
        history.objects.filter(id=OuterRef("id"), history_date__lt=OuterRef("history_date"))
        .order_by("-history_date", "-history_id")
        .values("tier")[:1]
    )
    rows = (
        history.objects.filter(history_date__gte=start, history_date__lt=end)
        .annotate(prev_tier=Subquery(previous))
        .filter(prev_tier__isnull=False)
        .exclude(prev_tier=F("tier"))
        .order_by("history_date", "history_id")
        .values_list("id", "prev_tier", "tier")
    )
    first_last: dict[int, tuple[int, int]] = {}
    for defect_id, before, after in rows:
        first = first_last.get(defect_id, (before, after))[0]
        first_last[defect_id] = (first, after)
    changed = {k: v for k, v in first_last.items() if v[0] != v[1]}
    found = digest_defects().filter(pk__in=list(changed)[:SECTION_LIMIT]).order_by(*RANK_ORDER)
    return [_item(d, f"{changed[d.pk][0]} → {changed[d.pk][1]}") for d in found]


def collect_digest_data(
    *, period_start: dt.datetime, period_end: dt.datetime, meeting: Meeting | None = None
) -> DigestData:
    """What happened in [period_start, period_end), seen by someone who may see everything."""
    today = timezone.localdate(period_end)
    new_tier1 = digest_defects().filter(
        tier=1, created_at__gte=period_start, created_at__lt=period_end
    )
    overdue = (
        digest_defects()
        .filter(overdue_defects_q(today))
        .order_by("target_release__expected_date", *RANK_ORDER)
    )
    costly = (
        digest_defects()
        .filter(status__in=workflow.OPEN_STATUSES, workaround_hours_per_week__gt=0)
        .order_by(F("workaround_hours_per_week").desc(), *RANK_ORDER)
    )
    deadlines = deadline_context(period_end)
    soon = ranked_defects(
        digest_defects().filter(before_meeting_q(deadlines), status__in=workflow.OPEN_STATUSES),
        deadlines,
        SECTION_LIMIT,
        deadline_until=deadlines.next_meeting,
    )
    return DigestData(
        period_start=period_start,
        deadline_soon=[_item(d, f"{defect_deadline(d, deadlines):%d.%m.%Y}") for d in soon],
        period_end=period_end,
        new_tier1=[_item(d) for d in new_tier1.order_by(*RANK_ORDER)[:SECTION_LIMIT]],
        tier_changes=_tier_changes(period_start, period_end),
        reported_to_dfo=_first_reached(DefectStatus.REPORTED, period_start, period_end),
        fixed=_first_reached(DefectStatus.FIXED, period_start, period_end),
        verified=_first_reached(DefectStatus.VERIFIED, period_start, period_end),
        overdue_promises=[
            _item(
                d,
                f"{d.target_release.name}: {d.target_release.expected_date:%d.%m.%Y}"
                if d.target_release and d.target_release.expected_date
                else "",
            )
            for d in overdue[:SECTION_LIMIT]
        ],
        costly_workarounds=[
            _item(d, f"{d.workaround_hours_per_week} t/uke") for d in costly[:COSTLY_LIMIT]
        ],
        meeting_title=(meeting.title or str(meeting.get_kind_display())) if meeting else "",
        meeting_starts_at=meeting.starts_at if meeting else None,
        site_url=settings.SITE_URL,
    )
