"""Every write to a defect's own fields goes through a function here: validated, atomic, history
recorded. Create, update, workflow transition and tier override."""

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from issues import permissions, workflow
from issues.errors import ConcurrentEdit, TransitionNotAllowed
from issues.models import (
    Area,
    Category,
    Defect,
    DefectStatus,
    Follow,
    Institution,
    OrgUnit,
    StatusChange,
    System,
    User,
)
from issues.personal_data import mask
from issues.services.audit import TIER_OVERRIDE, audit_record
from issues.services.outbox import status_mail_enqueue
from issues.vocabulary import LIAISON_FIELDS, MANAGEMENT_FIELDS, REPORTER_FIELDS, TEXT_MAX_LENGTHS
from priorities.ranking import weekly_cost
from priorities.rules import FACT_NAMES, TIERS, classify

# Free-text fields that may carry personal data; masked before anything is stored.
FREE_TEXT_FIELDS = ("title", "description", "workaround")


_MILESTONES = {
    DefectStatus.TRIAGED: "triaged_at",
    DefectStatus.REPORTED: "reported_to_dfo_at",
    DefectStatus.FIXED: "fixed_at",
}


def _apply_rule(defect: Defect) -> None:
    result = classify(defect.facts)
    defect.rule_tier = result.tier
    defect.rule_reasons = [r.as_dict() for r in result.reasons]
    defect.tier = defect.tier_override or result.tier


def _apply_cost(defect: Defect) -> None:
    defect.weekly_cost = weekly_cost(defect.extra_hours_per_week, defect.people_affected)


def _mask_free_text(defect: Defect) -> None:
    for field in FREE_TEXT_FIELDS:
        setattr(defect, field, mask(getattr(defect, field) or ""))


def check_limits(values: Mapping[str, Any]) -> None:
    """The report form's limits, for the fields present in ``values``: checked here too so the API
    cannot store what the form refuses (issue 16: a 10 MB description, a deadline in year 1)."""
    errors: dict[str, list[str]] = {}
    for field, limit in TEXT_MAX_LENGTHS.items():
        text = values.get(field)
        if isinstance(text, str) and len(text) > limit:
            errors[field] = [_("Teksten kan ha høyst %(limit)d tegn.") % {"limit": limit}]
    deadline = values.get("deadline")
    if isinstance(deadline, dt.date) and deadline < timezone.localdate():
        errors["deadline"] = [_("Fristen kan ikke være i fortiden.")]
    if errors:
        raise ValidationError(errors)


def check_consistency(defect: Defect) -> None:
    """Raise ValidationError if the category is not the area's or the unit not the institution's."""
    errors: dict[str, list[str]] = {}
    if defect.category_id and defect.category and defect.category.area_id != defect.area_id:
        errors.setdefault("category", []).append(_("Kategorien hører ikke til valgt område."))
    if defect.unit_id and defect.unit and defect.unit.institution_id != defect.institution_id:
        errors.setdefault("unit", []).append(_("Enheten hører ikke til valgt institusjon."))
    if errors:
        raise ValidationError(errors)


def derive_fields(defect: Defect) -> None:
    """Mask free text and recompute what follows from the answers: rule tier, reasons, effective
    tier and weekly cost. Every save path (services, admin) runs it; the caller saves."""
    _mask_free_text(defect)
    _apply_rule(defect)
    _apply_cost(defect)


def _validate_and_save(defect: Defect, actor: User) -> None:
    derive_fields(defect)
    defect.full_clean(exclude=["reporter", "created_at", "updated_at"])
    check_consistency(defect)
    defect._history_user = actor  # type: ignore[attr-defined]
    defect.save()


def _lock(defect: Defect, expected_version: int | None) -> Defect:
    """Re-read the row under a lock; refuse if it changed since the caller's version."""
    locked = Defect.objects.select_for_update().get(pk=defect.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ConcurrentEdit(
            expected_version=expected_version,
            current_version=locked.version,
            changed=changed_since(locked, expected_version),
        )
    return locked


def changed_since(defect: Defect, version: int) -> list[str]:
    """Field names changed after ``version``, from the history, for the "what changed" message."""
    older = defect.history.filter(version=version).order_by("-history_id").first()
    newest = defect.history.order_by("-history_id").first()
    if older is None or newest is None or older.pk == newest.pk:
        return []
    ignored = {"version"}
    return [c.field for c in newest.diff_against(older).changes if c.field not in ignored]


def defect_create(
    *,
    reporter: User,
    title: str,
    area: Area,
    institution: Institution | None = None,
    description: str = "",
    kind: str = "feil",
    category: Category | None = None,
    system: System | None = None,
    unit: OrgUnit | None = None,
    facts: Mapping[str, bool] | None = None,
    extra_hours_per_week: Decimal | int | float = 0,
    people_affected: int = 1,
    workaround: str = "",
    workaround_hours_per_week: Decimal | None = None,
    deadline: dt.date | None = None,
    confidential: bool = False,
) -> Defect:
    if not permissions.can_report(reporter):
        raise PermissionDenied
    facts = _known_facts(facts)
    check_limits({"description": description, "workaround": workaround, "deadline": deadline})
    institution = _reporting_institution(reporter=reporter, institution=institution)
    now = timezone.now()
    defect = Defect(
        reporter=reporter,
        title=title.strip(),
        description=description,
        kind=kind,
        area=area,
        category=category,
        system=system,
        institution=institution,
        unit=unit,
        extra_hours_per_week=Decimal(str(extra_hours_per_week)),
        people_affected=people_affected,
        workaround=workaround,
        workaround_hours_per_week=workaround_hours_per_week,
        deadline=deadline,
        confidential=confidential,
        created_at=now,
        updated_at=now,
        **{name: bool(facts.get(name, False)) for name in FACT_NAMES},
    )
    with transaction.atomic():
        _validate_and_save(defect, reporter)
        StatusChange.objects.create(
            defect=defect, from_status="", to_status=defect.status, actor=reporter, at=now
        )
        Follow.objects.get_or_create(defect=defect, user=reporter, defaults={"created_at": now})
    return defect


def _known_facts(facts: Mapping[str, bool] | None) -> dict[str, bool]:
    facts = dict(facts or {})
    unknown = set(facts) - set(FACT_NAMES)
    if unknown:
        raise ValidationError({"facts": _("Ukjente spørsmål: %s") % ", ".join(sorted(unknown))})
    return facts


def _reporting_institution(*, reporter: User, institution: Institution | None) -> Institution:
    """The institution the defect is reported for: the reporter's own unless management says."""
    institution = institution or reporter.institution
    if institution is None:
        raise ValidationError({"institution": _("Velg institusjon.")})
    if (
        reporter.institution_id
        and institution.pk != reporter.institution_id
        and not permissions.is_management(reporter)
    ):
        raise ValidationError(
            {"institution": _("Du kan bare melde feil for din egen institusjon.")}
        )
    return institution


def editable_fields(user: User, defect: Defect) -> frozenset[str]:
    """The fields ``user`` may change on ``defect`` through defect_update (issues.vocabulary)."""
    if not permissions.can_view_defect(user, defect):
        return frozenset()
    fields: frozenset[str] = frozenset()
    if permissions.can_edit_defect(user, defect):
        fields |= MANAGEMENT_FIELDS if permissions.is_management(user) else REPORTER_FIELDS
    if permissions.is_liaison(user):
        fields |= LIAISON_FIELDS
    return fields


def defect_update(
    *, defect: Defect, actor: User, expected_version: int, data: Mapping[str, Any]
) -> Defect:
    """Change the given fields; the tier is recomputed when a fact changes.

    Raises PermissionDenied for a field the actor may not set, ConcurrentEdit if the defect moved
    past ``expected_version``, ValidationError for bad values. Nothing is written on any error.
    """
    allowed = editable_fields(actor, defect)
    refused = sorted(set(data) - allowed)
    if refused:
        raise PermissionDenied(_("Du kan ikke endre: %s") % ", ".join(refused))
    changed_deadline = data.get("deadline") != defect.deadline
    check_limits({k: v for k, v in data.items() if k != "deadline" or changed_deadline})
    with transaction.atomic():
        locked = _lock(defect, expected_version)
        changed = False
        for field, value in data.items():
            if getattr(locked, field) != value:
                setattr(locked, field, value)
                changed = True
        if not changed:
            return locked
        locked.version += 1
        locked.updated_at = timezone.now()
        _validate_and_save(locked, actor)
    return locked


# What a workflow step changes on the defect row (apply_status), for bulk updates.
STATUS_FIELDS = ("status", *_MILESTONES.values(), "closed_at", "version", "updated_at")


def apply_status(defect: Defect, to_status: str, now: dt.datetime) -> None:
    """Set the status and what follows from it (milestone times, closed time, version), unsaved.

    Precondition: the step is allowed (the caller checked the workflow)."""
    defect.status = to_status
    milestone = _MILESTONES.get(DefectStatus(to_status))
    if milestone and getattr(defect, milestone) is None:
        setattr(defect, milestone, now)
    if to_status in workflow.CLOSED_STATUSES:
        defect.closed_at = now
    elif to_status == DefectStatus.REOPENED:
        defect.closed_at = None
    defect.version += 1
    defect.updated_at = now


def defect_transition(
    *,
    defect: Defect,
    actor: User,
    to_status: str,
    expected_version: int | None = None,
    note: str = "",
    duplicate_of: Defect | None = None,
) -> Defect:
    """Move the defect along the workflow table; records who and when."""
    with transaction.atomic():
        locked = _lock(defect, expected_version)
        allowed = permissions.allowed_transitions(actor, locked)
        if to_status not in allowed:
            raise TransitionNotAllowed(
                from_status=locked.status, to_status=to_status, allowed=allowed
            )
        if to_status == DefectStatus.DUPLICATE:
            if duplicate_of is None:
                raise ValidationError({"duplicate_of": _("Velg hvilken sak dette er duplikat av.")})
            if duplicate_of.pk == locked.pk:
                raise ValidationError(
                    {"duplicate_of": _("En sak kan ikke være duplikat av seg selv.")}
                )
            locked.duplicate_of = duplicate_of
        elif to_status == DefectStatus.REOPENED:
            locked.duplicate_of = None
        now = timezone.now()
        from_status = locked.status
        apply_status(locked, to_status, now)
        _validate_and_save(locked, actor)
        change = StatusChange.objects.create(
            defect=locked,
            from_status=from_status,
            to_status=to_status,
            actor=actor,
            at=now,
            note=mask(note),
        )
        # The mail rows commit with the change; the worker sends them (see services.outbox).
        status_mail_enqueue(change=change)
    return locked


def defect_override_tier(
    *, defect: Defect, actor: User, tier: int | None, reason: str, expected_version: int | None
) -> Defect:
    """Set (or with ``tier=None`` clear) the management team's tier; a reason is always required."""
    if not permissions.can_override_tier(actor) or not permissions.can_view_defect(actor, defect):
        raise PermissionDenied
    reason = mask(reason.strip())
    if not reason:
        raise ValidationError({"override_reason": _("Skriv en begrunnelse for overstyringen.")})
    if tier is not None and tier not in TIERS:
        raise ValidationError({"tier_override": _("Nivå må være 1, 2 eller 3.")})
    with transaction.atomic():
        locked = _lock(defect, expected_version)
        previous_tier = locked.tier_override
        locked.tier_override = tier
        locked.override_reason = reason
        locked.override_by = actor
        locked.override_at = timezone.now()
        locked.version += 1
        locked.updated_at = locked.override_at
        _validate_and_save(locked, actor)
        audit_record(
            actor=actor,
            action=TIER_OVERRIDE,
            target=locked,
            details={"tier": tier, "previous_tier": previous_tier, "reason": reason},
        )
    return locked
