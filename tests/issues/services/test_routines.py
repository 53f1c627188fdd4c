"""Routines: flagged when a linked defect is fixed or verified, cleared by an edit or a review."""

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from issues.models import Defect, DefectStatus, Institution, Routine, User
from issues.services.defects import defect_transition
from issues.services.routines import (
    routine_create,
    routine_link_set,
    routine_review,
    routine_update,
)
from tests.factories import make_defect, make_user

pytestmark = pytest.mark.django_db


def _to_reported(defect: Defect, manager: User) -> Defect:
    for status in (DefectStatus.TRIAGED, DefectStatus.REPORTED):
        defect = defect_transition(defect=defect, actor=manager, to_status=status)
    return defect


@pytest.fixture
def linked(reporter: User, manager: User) -> dict[str, Any]:
    owner = make_user("management", institution="UiO")
    defect = _to_reported(make_defect(reporter, title="Faktura låses"), manager)
    other = make_defect(reporter, title="Annen sak")
    routine = routine_create(
        actor=manager,
        title="Manuell frigivelse av faktura",
        body="1. Åpne fakturaen\n2. Frigi manuelt",
        owner=owner,
        defects=[defect],
    )
    unrelated = routine_create(
        actor=manager, title="Annen rutine", body="Steg", owner=owner, defects=[other]
    )
    return {"defect": defect, "routine": routine, "unrelated": unrelated, "owner": owner}


def test_fix_flags_the_linked_routine_and_tells_its_owner(
    linked: dict[str, Any],
    liaison: User,
    django_capture_on_commit_callbacks: Any,
    eager_celery: None,
) -> None:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        defect_transition(defect=linked["defect"], actor=liaison, to_status=DefectStatus.FIXED)
    routine = Routine.objects.get(pk=linked["routine"].pk)
    assert routine.needs_review
    assert routine.review_reason == f"{linked['defect'].key} er rettet"
    assert not Routine.objects.get(pk=linked["unrelated"].pk).needs_review
    owner_mail = [m for m in mail.outbox if m.to == [linked["owner"].email]]
    assert len(owner_mail) == 1
    assert "Manuell frigivelse av faktura" in owner_mail[0].subject


def test_verified_flags_again_after_a_review(
    linked: dict[str, Any], liaison: User, reporter: User
) -> None:
    defect = defect_transition(defect=linked["defect"], actor=liaison, to_status="fixed")
    routine_review(routine=linked["routine"], actor=linked["owner"], expected_version=None)
    assert not Routine.objects.get(pk=linked["routine"].pk).needs_review
    defect_transition(defect=defect, actor=reporter, to_status=DefectStatus.VERIFIED)
    routine = Routine.objects.get(pk=linked["routine"].pk)
    assert routine.needs_review
    assert routine.review_reason.endswith("er verifisert")


def test_review_unchanged_and_edit_both_clear_the_flag_and_make_versions(
    linked: dict[str, Any], liaison: User
) -> None:
    defect_transition(defect=linked["defect"], actor=liaison, to_status="fixed")
    routine = routine_review(
        routine=linked["routine"], actor=linked["owner"], expected_version=None
    )
    assert not routine.needs_review
    assert routine.reviewed_by == linked["owner"]
    Routine.objects.filter(pk=routine.pk).update(needs_review=True, review_reason="x")
    routine = routine_update(
        routine=Routine.objects.get(pk=routine.pk),
        actor=linked["owner"],
        title="Manuell frigivelse (ny)",
        body="1. Ikke lenger nødvendig etter 2026.3",
        owner=linked["owner"],
        institution=Institution.objects.get(code="UiO"),
        defects=[linked["defect"]],
        expected_version=routine.version,
    )
    assert not routine.needs_review
    # Created, flagged by the fix, reviewed unchanged, edited: each is in the history.
    history = routine.history.order_by("history_id")
    assert [(h.version, h.needs_review) for h in history] == [
        (1, False),
        (1, True),
        (2, False),
        (3, False),
    ]
    assert history.last().title == "Manuell frigivelse (ny)"


def test_only_management_and_the_owner_write(linked: dict[str, Any], reporter: User) -> None:
    with pytest.raises(PermissionDenied):
        routine_create(actor=reporter, title="T", body="B", owner=reporter)
    with pytest.raises(PermissionDenied):
        routine_review(routine=linked["routine"], actor=reporter, expected_version=None)


def test_links_only_defects_the_owner_may_see_and_keeps_the_flag(
    manager: User, reporter: User, other_reporter: User
) -> None:
    owner = make_user("reporter", institution="UiO")  # an owner outside the management team
    routine = routine_create(actor=manager, title="R", body="Steg", owner=owner)
    Routine.objects.filter(pk=routine.pk).update(needs_review=True)
    hidden = make_defect(other_reporter, title="Fortrolig", confidential=True)
    seen = make_defect(reporter, title="Åpen sak")
    for linked in (True, False):
        with pytest.raises(PermissionDenied):
            routine_link_set(
                routine=routine, actor=owner, defect=hidden, linked=linked, expected_version=None
            )
    done = routine_link_set(
        routine=routine, actor=owner, defect=seen, linked=True, expected_version=routine.version
    )
    assert list(done.defects.all()) == [seen]
    assert done.needs_review
    assert done.version == routine.version + 1
    assert done.history.first().history_user == owner
    with pytest.raises(PermissionDenied):  # neither owner nor management
        routine_link_set(
            routine=routine, actor=reporter, defect=seen, linked=False, expected_version=None
        )
