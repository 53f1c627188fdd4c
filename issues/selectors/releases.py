"""DFØ releases: what each promised and delivered, and how each university answered the fixes.

Counts cover only the defects the user may see. The rule for "overdue" is in one place here and
is used by the release pages, the meeting view and the digest: a release is overdue when its
date has passed (the delivered date if it was delivered, else the expected date) and a defect it
promised (its target release) still waits for a fix.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from issues import permissions, workflow
from issues.models import ConfirmationState, Defect, FixConfirmation, Release
from issues.permissions import AnyUser
from issues.selectors.defects import LIST_RELATED, RANK_ORDER

# A release page lists at most this many of its defects.
DEFECTS_SHOWN = 500


@dataclass
class UniversityCounts:
    code: str
    confirmed: int = 0
    disputed: int = 0
    waiting: int = 0
    unanswered: int = 0


@dataclass
class ReleaseRow:
    release: Release
    promised: int = 0
    delivered: int = 0
    unfixed: int = 0
    overdue: bool = False
    universities: list[UniversityCounts] = field(default_factory=list)

    @property
    def due(self) -> dt.date | None:
        return release_date(self.release)


def release_date(release: Release) -> dt.date | None:
    return release.delivered_date or release.expected_date


def _passed_q(today: dt.date, prefix: str = "") -> Q:
    """The release's date (delivered, else expected: ``release_date``) is before ``today``."""
    return Q(**{f"{prefix}delivered_date__lt": today}) | Q(
        **{f"{prefix}delivered_date__isnull": True, f"{prefix}expected_date__lt": today}
    )


def overdue_defects_q(today: dt.date) -> Q:
    """Defects promised by a release whose date has passed and still waiting for the fix."""
    return Q(status__in=workflow.AWAITING_FIX_STATUSES) & _passed_q(today, "target_release__")


def _promised(user: AnyUser) -> QuerySet[Defect]:
    return permissions.visible_defects(user).exclude(status__in=workflow.DISCARDED_STATUSES)


def _latest_rounds(defects: QuerySet[Defect]) -> QuerySet[FixConfirmation]:
    """Each defect's rows of its latest fix (a dispute and a new fix make a newer round)."""
    latest = (
        FixConfirmation.objects.filter(defect=OuterRef("defect"))
        .order_by("-fixed_change_id")
        .values("fixed_change_id")[:1]
    )
    return FixConfirmation.objects.filter(
        defect__in=defects.values("pk"), fixed_change_id=Subquery(latest)
    )


def _university_counts(
    defects: QuerySet[Defect],
) -> dict[int, list[UniversityCounts]]:
    state = ConfirmationState
    rows = (
        _latest_rounds(defects)
        .values("defect__target_release", "institution__code")
        .annotate(
            confirmed=Count("id", filter=Q(state=state.CONFIRMED)),
            disputed=Count("id", filter=Q(state=state.DISPUTED)),
            waiting=Count("id", filter=Q(state=state.WAITING)),
            unanswered=Count("id", filter=Q(state=state.LAPSED)),
        )
        .order_by("defect__target_release", "institution__code")
    )
    out: dict[int, list[UniversityCounts]] = defaultdict(list)
    for r in rows:
        out[r["defect__target_release"]].append(
            UniversityCounts(
                r["institution__code"], r["confirmed"], r["disputed"], r["waiting"], r["unanswered"]
            )
        )
    return out


def release_rows(
    *, user: AnyUser, today: dt.date | None = None, releases: QuerySet[Release] | None = None
) -> list[ReleaseRow]:
    """Every release (or those given) with its counts, newest expected first."""
    if not user.is_authenticated:
        return []
    today = today or timezone.localdate()
    chosen = list(Release.objects.all() if releases is None else releases)
    promised = _promised(user).filter(target_release__in=chosen)
    counts = (
        promised.order_by()
        .values("target_release")
        .annotate(
            promised=Count("id"),
            delivered=Count("id", filter=Q(status__in=workflow.FIXED_STATUSES)),
            unfixed=Count("id", filter=Q(status__in=workflow.AWAITING_FIX_STATUSES)),
        )
    )
    by_release = {c["target_release"]: c for c in counts}
    universities = _university_counts(promised)
    rows = []
    for release in chosen:
        c = by_release.get(release.pk, {})
        row = ReleaseRow(
            release,
            promised=c.get("promised", 0),
            delivered=c.get("delivered", 0),
            unfixed=c.get("unfixed", 0),
            universities=universities.get(release.pk, []),
        )
        due = release_date(release)
        row.overdue = bool(due and due < today and row.unfixed)
        rows.append(row)
    return rows


def overdue_releases(*, user: AnyUser, today: dt.date | None = None) -> list[ReleaseRow]:
    """The passed releases with a promised defect still waiting for its fix, with that count.

    Only ``unfixed`` is counted (``promised``, ``delivered`` and the universities' answers stay
    empty): the meeting view shows no more, and this count is an index-only scan of
    ``defect_release_unfixed_idx`` where ``release_rows`` reads every defect with a release.
    """
    if not user.is_authenticated:
        return []
    today = today or timezone.localdate()
    passed = list(Release.objects.filter(_passed_q(today)).order_by("expected_date", "name"))
    unfixed = dict(
        permissions.visible_defects(user)
        .filter(status__in=sorted(workflow.AWAITING_FIX_STATUSES), target_release__in=passed)
        .order_by()
        .values_list("target_release")
        .annotate(n=Count("*"))
        .values_list("target_release", "n")
    )
    return [
        ReleaseRow(release, unfixed=unfixed[release.pk], overdue=True)
        for release in passed
        if unfixed.get(release.pk)
    ]


@dataclass
class ReleaseDetail:
    row: ReleaseRow
    promised: list[Defect]
    delivered: list[Defect]


def release_detail(*, user: AnyUser, pk: int | str, today: dt.date | None = None) -> ReleaseDetail:
    try:
        release = Release.objects.get(pk=pk)
    except (Release.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    rows = release_rows(user=user, today=today, releases=Release.objects.filter(pk=release.pk))
    if not rows:
        raise Http404
    defects = (
        _promised(user)
        .filter(target_release=release)
        .select_related(*LIST_RELATED)
        .order_by(*RANK_ORDER)
    )
    listed = list(defects[:DEFECTS_SHOWN])
    delivered = [d for d in listed if d.status in workflow.FIXED_STATUSES]
    answers: dict[int, list[FixConfirmation]] = defaultdict(list)
    latest = _latest_rounds(defects.filter(pk__in=[d.pk for d in delivered]))
    for answer in latest.select_related("institution").order_by("institution__code"):
        answers[answer.defect_id].append(answer)
    for defect in delivered:
        defect.answers = answers.get(defect.pk, [])  # type: ignore[attr-defined]
    return ReleaseDetail(row=rows[0], promised=listed, delivered=delivered)
