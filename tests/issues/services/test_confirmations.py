"""Fix confirmation per university: the three-university flow and the working-day window."""

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from issues.models import ConfirmationState, Defect, DefectStatus, FixConfirmation, User
from issues.services.confirmations import (
    confirmation_confirm,
    confirmation_dispute,
    confirmations_expire,
)
from issues.services.defects import defect_transition
from issues.services.participation import affects_us_add
from tests.factories import make_defect, make_user

pytestmark = pytest.mark.django_db


def _fixed(defect: Defect, manager: User, liaison: User) -> Defect:
    for status in (DefectStatus.TRIAGED, DefectStatus.REPORTED):
        defect = defect_transition(defect=defect, actor=manager, to_status=status)
    return defect_transition(defect=defect, actor=liaison, to_status=DefectStatus.FIXED)


@pytest.fixture
def three(manager: User, liaison: User) -> dict[str, Any]:
    """A UiO defect that UiB and UiT say affects them too, marked fixed by the liaison."""
    users = {code: make_user("reporter", institution=code) for code in ("UiO", "UiB", "UiT")}
    defect = make_defect(users["UiO"], title="Lønnsslipp mangler tillegg")
    affects_us_add(defect=defect, user=users["UiB"])
    affects_us_add(defect=defect, user=users["UiT"])
    defect = _fixed(defect, manager, liaison)
    rows = {c.institution.code: c for c in FixConfirmation.objects.filter(defect=defect)}
    return {"users": users, "defect": defect, "rows": rows}


def test_fixing_opens_one_confirmation_per_affected_university(three: dict[str, Any]) -> None:
    assert sorted(three["rows"]) == ["UiB", "UiO", "UiT"]
    assert {c.state for c in three["rows"].values()} == {ConfirmationState.WAITING}


def test_two_confirm_one_disputes_reopens_with_the_dispute_visible(three: dict[str, Any]) -> None:
    users, rows = three["users"], three["rows"]
    confirmation_confirm(confirmation=rows["UiO"], actor=users["UiO"])
    confirmation_confirm(confirmation=rows["UiB"], actor=users["UiB"])
    assert Defect.objects.get(pk=three["defect"].pk).status == DefectStatus.FIXED
    confirmation_dispute(
        confirmation=rows["UiT"], actor=users["UiT"], note="Tillegget mangler fortsatt hos oss."
    )
    defect = Defect.objects.get(pk=three["defect"].pk)
    assert defect.status == DefectStatus.REOPENED
    last = defect.status_changes.order_by("-id").first()
    assert last is not None
    assert last.actor == users["UiT"]
    assert "UiT" in last.note
    assert "Tillegget mangler fortsatt hos oss." in last.note
    states = dict(
        FixConfirmation.objects.filter(defect=defect).values_list("institution__code", "state")
    )
    assert states == {"UiO": "confirmed", "UiB": "confirmed", "UiT": "disputed"}


def test_all_confirm_verifies(three: dict[str, Any]) -> None:
    users, rows = three["users"], three["rows"]
    for code in ("UiT", "UiO", "UiB"):
        assert Defect.objects.get(pk=three["defect"].pk).status == DefectStatus.FIXED
        confirmation_confirm(confirmation=rows[code], actor=users[code])
    assert Defect.objects.get(pk=three["defect"].pk).status == DefectStatus.VERIFIED


def test_only_the_own_university_answers_and_only_once(
    three: dict[str, Any], manager: User
) -> None:
    users, rows = three["users"], three["rows"]
    with pytest.raises(PermissionDenied):
        confirmation_confirm(confirmation=rows["UiB"], actor=users["UiO"])
    with pytest.raises(PermissionDenied):  # the manager is at NTNU, which was not affected
        confirmation_confirm(confirmation=rows["UiB"], actor=manager)
    confirmation_confirm(confirmation=rows["UiB"], actor=users["UiB"])
    with pytest.raises(ValidationError):
        confirmation_dispute(confirmation=rows["UiB"], actor=users["UiB"], note="Likevel ikke")


def test_dispute_needs_a_note_and_loses_nothing(three: dict[str, Any]) -> None:
    users, rows = three["users"], three["rows"]
    with pytest.raises(ValidationError):
        confirmation_dispute(confirmation=rows["UiT"], actor=users["UiT"], note="   ")
    assert FixConfirmation.objects.get(pk=rows["UiT"].pk).state == ConfirmationState.WAITING
    assert Defect.objects.get(pk=three["defect"].pk).status == DefectStatus.FIXED


def test_a_new_fix_after_a_dispute_opens_a_new_round(
    three: dict[str, Any], manager: User, liaison: User
) -> None:
    users, rows = three["users"], three["rows"]
    confirmation_dispute(confirmation=rows["UiT"], actor=users["UiT"], note="Feil hos oss")
    # The unanswered rows of the disputed round lapse; they cannot be answered any more.
    assert FixConfirmation.objects.get(pk=rows["UiO"].pk).state == ConfirmationState.LAPSED
    defect = Defect.objects.get(pk=three["defect"].pk)
    defect = _fixed(defect, manager, liaison)
    waiting = FixConfirmation.objects.filter(defect=defect, state=ConfirmationState.WAITING)
    assert waiting.count() == 3


def _fix_on(day: dt.date, three: dict[str, Any]) -> None:
    """Move the round's fix day to ``day`` (the window counts from the fix day)."""
    from issues.services.fixes import respond_by

    FixConfirmation.objects.filter(defect=three["defect"]).update(respond_by=respond_by(day))


def test_silence_across_easter_verifies_on_the_right_date(
    three: dict[str, Any], settings: Any
) -> None:
    # Fixed on Wednesday 24 March 2027. Maundy Thursday, Good Friday, the weekend and Easter
    # Monday are not working days, so three working days are Tue 30, Wed 31 March and Thu 1 April.
    settings.FIX_CONFIRMATION_WORKING_DAYS = 3
    _fix_on(dt.date(2027, 3, 24), three)
    row = FixConfirmation.objects.filter(defect=three["defect"]).first()
    assert row is not None
    assert row.respond_by == dt.date(2027, 4, 1)
    confirmation_confirm(confirmation=three["rows"]["UiO"], actor=three["users"]["UiO"])
    for day in (dt.date(2027, 3, 30), dt.date(2027, 3, 31), dt.date(2027, 4, 1)):
        assert confirmations_expire(today=day) == []
        assert Defect.objects.get(pk=three["defect"].pk).status == DefectStatus.FIXED
    assert confirmations_expire(today=dt.date(2027, 4, 2)) == [three["defect"].pk]
    defect = Defect.objects.get(pk=three["defect"].pk)
    assert defect.status == DefectStatus.VERIFIED
    states = set(FixConfirmation.objects.filter(defect=defect).values_list("state", flat=True))
    assert states == {ConfirmationState.CONFIRMED, ConfirmationState.LAPSED}
    # A second tick the same day changes nothing.
    assert confirmations_expire(today=dt.date(2027, 4, 2)) == []


def test_window_is_counted_in_working_days_from_the_fix_day(three: dict[str, Any]) -> None:
    from issues.services.fixes import respond_by
    from priorities.workdays import norwegian_calendar

    row = FixConfirmation.objects.filter(defect=three["defect"]).first()
    assert row is not None
    fixed_on = timezone.localdate(row.fixed_change.at)
    assert row.respond_by == respond_by(fixed_on)
    assert norwegian_calendar().working_days_between(fixed_on, row.respond_by) == 10


def test_beat_runs_the_expiry_task_every_morning(settings: Any) -> None:
    from bott_tracker.celery import app
    from issues import tasks  # noqa: F401 - registers the tasks

    entry = settings.CELERY_BEAT_SCHEDULE["fix-confirmations-expire"]
    assert entry["task"] in app.tasks
