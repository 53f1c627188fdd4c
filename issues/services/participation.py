"""Writes for the people around a defect: "gjelder oss også" (affects us too) and following."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from issues import permissions
from issues.models import AffectsUs, Defect, Follow, User


def count_affected(defect: Defect) -> None:
    """Recompute ``affects_count`` and ``institutions_affected`` (the reporter's institution
    counts) on the instance; the caller saves."""
    institutions = set(defect.affects.values_list("institution_id", flat=True))
    institutions.add(defect.institution_id)
    defect.institutions_affected = len(institutions)
    defect.affects_count = defect.affects.count()


def _refresh_affected_counts(defect: Defect) -> None:
    count_affected(defect)
    Defect.objects.filter(pk=defect.pk).update(
        institutions_affected=defect.institutions_affected, affects_count=defect.affects_count
    )


def affects_us_add(*, defect: Defect, user: User) -> AffectsUs:
    """Record "gjelder oss også"; saying it twice is harmless and returns the first record."""
    if not permissions.can_mark_affected(user, defect):
        raise PermissionDenied
    assert user.institution_id is not None
    with transaction.atomic():
        # Serialise "affects us too" on one defect, so concurrent clicks cannot undercount.
        Defect.objects.select_for_update().filter(pk=defect.pk).first()
        try:
            with transaction.atomic():
                record, created = AffectsUs.objects.get_or_create(
                    defect=defect,
                    user=user,
                    defaults={"institution_id": user.institution_id, "created_at": timezone.now()},
                )
        except IntegrityError:
            record, created = AffectsUs.objects.get(defect=defect, user=user), False
        if created:
            _refresh_affected_counts(defect)
            Follow.objects.get_or_create(
                defect=defect, user=user, defaults={"created_at": timezone.now()}
            )
    return record


def affects_us_remove(*, defect: Defect, user: User) -> None:
    if not permissions.can_view_defect(user, defect):
        raise PermissionDenied
    with transaction.atomic():
        Defect.objects.select_for_update().filter(pk=defect.pk).first()
        deleted, _unused = AffectsUs.objects.filter(defect=defect, user=user).delete()
        if deleted:
            _refresh_affected_counts(defect)


def follow_set(*, defect: Defect, user: User, follow: bool) -> bool:
    if not permissions.can_follow(user, defect):
        raise PermissionDenied
    if follow:
        Follow.objects.get_or_create(
            defect=defect, user=user, defaults={"created_at": timezone.now()}
        )
    else:
        Follow.objects.filter(defect=defect, user=user).delete()
    return follow
