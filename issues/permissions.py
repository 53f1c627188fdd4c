"""Who may see and change what. Every view, API endpoint, export and digest asks this module.

A defect fetched without going through ``visible_defects`` / ``get_visible_defect_or_404`` is a
bug: unauthorised reads must return nothing, not even counts or titles.
"""

from typing import Any, Literal

from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.aggregates import ArrayAgg
from django.db import connection
from django.db.models import Q, QuerySet, Value
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from issues.models import (
    Comment,
    Defect,
    DefectStatus,
    FixConfirmation,
    ImportKind,
    Routine,
    User,
)
from issues.workflow import Role, allowed_targets

GROUP_REPORTER = "Melder"
GROUP_MANAGEMENT = "Forvaltning"
GROUP_LIAISON = "DFØ-kontakt"
ROLE_GROUPS = (GROUP_REPORTER, GROUP_MANAGEMENT, GROUP_LIAISON)

AnyUser = User | AnonymousUser

# What a 403 page says is needed (``issues.errors.RoleRequired``), worded as "Siden krever rollen …".
NEEDS_MANAGEMENT = _("forvaltning")
NEEDS_MANAGEMENT_OR_LIAISON = _("forvaltning eller DFØ-kontakt")


def user_with_groups(pk: Any) -> User | None:
    """The user of a session, with the names of their groups, in one query on PostgreSQL.

    Every page asks for the groups (the header, the role checks); read lazily they were a second
    query on every request. On SQLite the groups stay lazy (``_group_names``). Read fresh for
    each request as before, so a removed role stops working at the next request.
    """
    qs = User._default_manager.filter(pk=pk)
    postgres = connection.vendor == "postgresql"
    if postgres:
        names = ArrayAgg("groups__name", filter=Q(groups__isnull=False), default=Value([]))
        qs = qs.annotate(_bott_group_list=names)
    user = next(iter(qs), None)
    if user is not None and postgres:
        user._bott_groups = frozenset(user._bott_group_list)  # type: ignore[attr-defined]
    return user


def _group_names(user: AnyUser) -> frozenset[str]:
    if not user.is_authenticated:
        return frozenset()
    cached: frozenset[str] | None = getattr(user, "_bott_groups", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._bott_groups = cached  # type: ignore[attr-defined]
    return cached


def is_management(user: AnyUser) -> bool:
    return bool(
        user.is_authenticated and (user.is_superuser or GROUP_MANAGEMENT in _group_names(user))
    )


def is_liaison(user: AnyUser) -> bool:
    return bool(user.is_authenticated and GROUP_LIAISON in _group_names(user))


def can_keep_dfo_status_words(user: AnyUser) -> bool:
    """The liaison keeps the mapping of DFØ's status words (in the admin); management may too."""
    return bool(user.is_active) and (is_management(user) or is_liaison(user))


def may_use_admin(user: AnyUser) -> bool:
    """Staff, and the few roles that keep data there; each model admin still asks its own rule."""
    return bool(user.is_active) and (bool(user.is_staff) or can_keep_dfo_status_words(user))


def sees_everything(user: AnyUser) -> bool:
    """Management and the DFØ liaison see confidential defects and internal comments."""
    return is_management(user) or is_liaison(user)


DefectScope = Literal["none", "all", "public_and_own"]


def defect_scope(user: AnyUser) -> DefectScope:
    """Which defects the user sees: none, all, or the non-confidential ones and their own.

    ``visible_defects`` applies it to a queryset; the dashboard's aggregates (which hold no
    reporter, but for the "affects us too" records' owner of a confidential defect) read it to
    pick their rows."""
    if not user.is_authenticated or not user.is_active:
        return "none"
    if sees_everything(user):
        return "all"
    return "public_and_own"


def visible_defects(user: AnyUser, queryset: QuerySet[Defect] | None = None) -> QuerySet[Defect]:
    qs = Defect.objects.all() if queryset is None else queryset
    scope = defect_scope(user)
    if scope == "none":
        return qs.none()
    if scope == "all":
        return qs
    return qs.filter(Q(confidential=False) | Q(reporter_id=user.pk))


def can_view_defect(user: AnyUser, defect: Defect) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return sees_everything(user) or not defect.confidential or defect.reporter_id == user.pk


def get_visible_defect_or_404(
    user: AnyUser, pk: Any, queryset: QuerySet[Defect] | None = None
) -> Defect:
    """Fetch and authorise in one call; a hidden defect looks exactly like a missing one."""
    try:
        return visible_defects(user, queryset).get(pk=pk)
    except (Defect.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def roles_for(user: AnyUser, defect: Defect | None = None) -> frozenset[Role]:
    roles: set[Role] = set()
    if is_management(user):
        roles.add("management")
    if is_liaison(user):
        roles.add("liaison")
    if defect is not None and user.is_authenticated and defect.reporter_id == user.pk:
        roles.add("reporter")
    return frozenset(roles)


def allowed_transitions(user: AnyUser, defect: Defect) -> tuple[str, ...]:
    if not can_view_defect(user, defect):
        return ()
    return allowed_targets(defect.status, roles_for(user, defect))


def can_report(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_edit_defect(user: AnyUser, defect: Defect) -> bool:
    """Management edits any defect; a reporter edits their own until it has been triaged."""
    if not can_view_defect(user, defect):
        return False
    if is_management(user):
        return True
    return defect.reporter_id == user.pk and defect.status == DefectStatus.NEW


def can_triage(user: AnyUser) -> bool:
    return is_management(user)


def can_override_tier(user: AnyUser) -> bool:
    return is_management(user)


def can_merge(user: AnyUser) -> bool:
    return is_management(user)


def can_export(user: AnyUser) -> bool:
    return is_management(user) or is_liaison(user)


def can_comment(user: AnyUser, defect: Defect) -> bool:
    return can_view_defect(user, defect)


def can_write_internal_comment(user: AnyUser) -> bool:
    return sees_everything(user)


def visible_comments(user: AnyUser, defect: Defect) -> QuerySet[Comment]:
    if not can_view_defect(user, defect):
        return Comment.objects.none()
    qs = defect.comments.all()
    return qs if sees_everything(user) else qs.filter(internal=False)


def can_mark_affected(user: AnyUser, defect: Defect) -> bool:
    """Someone else's defect: the reporter's own institution is already the one it concerns."""
    return (
        can_view_defect(user, defect)
        and getattr(user, "institution_id", None) is not None
        and defect.reporter_id != user.pk
    )


def can_follow(user: AnyUser, defect: Defect) -> bool:
    return can_view_defect(user, defect)


def can_manage_digests(user: AnyUser) -> bool:
    """Preview, send now and the archive of escalation digests."""
    return is_management(user) or is_liaison(user)


def can_answer_confirmation(user: AnyUser, confirmation: FixConfirmation) -> bool:
    """Anyone from the confirmation's university who may see the defect answers for it."""
    return bool(
        user.is_authenticated
        and user.is_active
        and getattr(user, "institution_id", None) == confirmation.institution_id
        and can_view_defect(user, confirmation.defect)
    )


def visible_confirmations(user: AnyUser) -> QuerySet[FixConfirmation]:
    """Management and the liaison see every university's; others their own university's."""
    qs = FixConfirmation.objects.filter(defect__in=visible_defects(user))
    if sees_everything(user):
        return qs
    institution_id = getattr(user, "institution_id", None)
    return qs.filter(institution_id=institution_id) if institution_id else qs.none()


def can_manage_routines(user: AnyUser) -> bool:
    """The management team writes routines ("oppdatere og vedlikeholde rutiner")."""
    return is_management(user)


def visible_routines(user: AnyUser) -> QuerySet[Routine]:
    """Shared routines and the user's own university's; management and the liaison see all."""
    if not user.is_authenticated or not user.is_active:
        return Routine.objects.none()
    if sees_everything(user):
        return Routine.objects.all()
    institution_id = getattr(user, "institution_id", None)
    return Routine.objects.filter(Q(institution__isnull=True) | Q(institution_id=institution_id))


def can_edit_routine(user: AnyUser, routine: Routine) -> bool:
    """Management and the routine's owner keep it up to date."""
    if not user.is_authenticated or not user.is_active:
        return False
    return is_management(user) or routine.owner_id == user.pk


def may_import(user: AnyUser, kind: str) -> bool:
    """Defect lists are imported by the management team; DFØ's answers also by the liaison.
    Whoever may import a kind may see its batches."""
    if kind == ImportKind.DEFECTS:
        return is_management(user)
    return sees_everything(user)
