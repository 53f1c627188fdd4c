"""Reads for the reporting pages: suggestions of known defects while typing a report, and who
said "affects us too"."""

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from issues import permissions, search, suggest, workflow
from issues.models import AffectsUs, Area, Category, Defect, User
from issues.permissions import AnyUser
from issues.selectors.defects import LIST_RELATED

SUGGESTION_LIMIT = 5


def similar_defects(
    *,
    user: AnyUser,
    text: str,
    category_id: int | None = None,
    limit: int = SUGGESTION_LIMIT,
) -> list[Defect]:
    """Up to ``limit`` visible defects a report titled ``text`` probably duplicates, best first.

    Every status but duplicate and rejected, "Ny" too: a fresh report from another university
    is the likeliest duplicate. Ranking: ``issues.suggest``.
    """
    if len(text.strip()) < search.MIN_SUBSTRING_LEN:
        return []
    qs = permissions.visible_defects(user).exclude(status__in=workflow.DISCARDED_STATUSES)
    ids = suggest.ranked_ids(qs, text, category_id=category_id, limit=limit)
    found = Defect.objects.filter(pk__in=ids).select_related(*LIST_RELATED).in_bulk()
    return [found[pk] for pk in ids if pk in found]


@dataclass(frozen=True)
class InstitutionCount:
    code: str
    name: str
    users: int


def affected_institutions(*, defect: Defect) -> list[InstitutionCount]:
    """Institutions that said "affects us too", with how many of their people said so.

    Precondition: the caller has already checked that the user may see ``defect``.
    """
    rows = (
        AffectsUs.objects.filter(defect=defect)
        .values("institution__code", "institution__name")
        .annotate(users=Count("id"))
        .order_by("institution__code")
    )
    return [
        InstitutionCount(r["institution__code"], r["institution__name"], r["users"]) for r in rows
    ]


def user_affects(*, user: AnyUser, defect: Defect) -> bool:
    return bool(
        user.is_authenticated and AffectsUs.objects.filter(defect=defect, user=user).exists()
    )


def user_follows(*, user: AnyUser, defect: Defect) -> bool:
    return bool(user.is_authenticated and defect.follows.filter(user=user).exists())


def affected_defect_ids(*, user: User, defect_ids: list[int]) -> set[int]:
    """Which of ``defect_ids`` the user has already said "affects us too" on (one query)."""
    return set(
        AffectsUs.objects.filter(user=user, defect_id__in=defect_ids).values_list(
            "defect_id", flat=True
        )
    )


def area_categories(*, area_id: str) -> QuerySet[Category] | None:
    """The active categories of an active area; None if ``area_id`` names no active area."""
    if not area_id.isdigit() or not Area.objects.filter(pk=area_id, active=True).exists():
        return None
    return Category.objects.filter(active=True, area_id=area_id)
