"""Regression: a merge is a merge in the history, never a transition to the same status, and the
digest's "newly reported / fixed / verified" is the first time the milestone was reached."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from issues.models import AuditEvent, Defect, DefectStatus, HistoryKind, StatusChange, User
from issues.selectors.digests import collect_digest_data
from issues.selectors.meeting import meeting_agenda
from issues.services.defects import defect_transition
from issues.services.merge import defect_merge
from issues.services.triage import BULK_REPORTED, defect_bulk_apply
from tests.factories import make_defect

pytestmark = pytest.mark.django_db

S = DefectStatus


def _reported(reporter: User, manager: User, liaison: User, title: str) -> Defect:
    defect = make_defect(reporter, title=title)
    defect_transition(defect=defect, actor=manager, to_status=S.TRIAGED)
    return defect_transition(defect=defect, actor=liaison, to_status=S.REPORTED)


def _months_ago(defect: Defect, days: int = 90) -> None:
    """Move a defect's whole past back in time, as if it happened ``days`` ago."""
    delta = dt.timedelta(days=days)
    assert defect.reported_to_dfo_at is not None
    for change in StatusChange.objects.filter(defect=defect):
        change.at -= delta
        change.save(update_fields=["at"])
    Defect.objects.filter(pk=defect.pk).update(
        created_at=defect.created_at - delta,
        reported_to_dfo_at=defect.reported_to_dfo_at - delta,
    )


def test_merging_a_reported_duplicate_is_no_news_in_the_digest(
    reporter: User, other_reporter: User, manager: User, liaison: User
) -> None:
    kept = _reported(reporter, manager, liaison, "Faktura avvises uten begrunnelse")
    _months_ago(kept)
    dup = _reported(other_reporter, manager, liaison, "Fakturaen blir avvist")
    _months_ago(dup)
    start = timezone.now() - dt.timedelta(days=7)
    kept.refresh_from_db()
    dup.refresh_from_db()

    defect_merge(
        duplicate=dup,
        canonical=kept,
        actor=manager,
        duplicate_version=dup.version,
        canonical_version=kept.version,
    )

    # The kept defect's history holds a merge record, not "Meldt til DFØ → Meldt til DFØ".
    record = StatusChange.objects.filter(defect=kept).latest("id")
    assert record.kind == HistoryKind.MERGED_IN
    assert record.merged_from_id == dup.pk
    assert not StatusChange.objects.filter(
        kind=HistoryKind.TRANSITION, from_status=S.REPORTED, to_status=S.REPORTED
    ).exists()
    data = collect_digest_data(period_start=start, period_end=timezone.now())
    assert data.reported_to_dfo == []
    # The audit log names both defects.
    event = AuditEvent.objects.get(action="defect.merge")
    assert event.details == {"merged": dup.key, "into": kept.key}


def test_reported_again_after_reopening_is_not_newly_reported(
    reporter: User, manager: User, liaison: User
) -> None:
    defect = _reported(reporter, manager, liaison, "Lønn utbetales for sent")
    _months_ago(defect)
    start = timezone.now() - dt.timedelta(days=7)
    defect = defect_transition(defect=defect, actor=liaison, to_status=S.FIXED)
    defect = defect_transition(defect=defect, actor=reporter, to_status=S.REOPENED)
    defect = defect_transition(defect=defect, actor=liaison, to_status=S.REPORTED)
    data = collect_digest_data(period_start=start, period_end=timezone.now())
    assert data.reported_to_dfo == []
    # Fixed for the first time this week: news, even though it was reopened since.
    assert [i.key for i in data.fixed] == [defect.key]


def test_a_transition_to_the_same_status_cannot_be_stored(reporter: User) -> None:
    defect = make_defect(reporter)
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusChange.objects.create(
            defect=defect,
            from_status=S.NEW,
            to_status=S.NEW,
            actor=reporter,
            at=timezone.now(),
        )


def test_timeline_and_meeting_read_the_merge(
    reporter: User, other_reporter: User, manager: User
) -> None:
    kept = make_defect(reporter, title="Bestilling forsvinner")
    dup = make_defect(other_reporter, title="Bestillingen forsvant")
    defect_merge(
        duplicate=dup,
        canonical=kept,
        actor=manager,
        duplicate_version=dup.version,
        canonical_version=kept.version,
    )
    expected = f"slått sammen: {dup.key} inn i {kept.key}"
    client = Client()
    client.force_login(manager)
    for url in (
        reverse("issues:defect_detail", args=[kept.pk]),
        reverse("issues:triage_defect", args=[kept.pk]),
    ):
        page = client.get(url)
        assert page.status_code == 200
        assert expected in page.content.decode()
    agenda = meeting_agenda(user=manager)
    assert agenda is not None
    assert {(c.defect_id, c.kind) for c in agenda.status_changes} == {
        (kept.pk, HistoryKind.MERGED_IN),
        (dup.pk, HistoryKind.TRANSITION),
    }
    assert expected in client.get(reverse("issues:triage_meeting")).content.decode()


def test_bulk_reported_on_a_reported_defect_writes_no_transition(
    reporter: User, manager: User, liaison: User
) -> None:
    defect = _reported(reporter, manager, liaison, "Bestilling henger")
    before = StatusChange.objects.filter(defect=defect).count()
    result = defect_bulk_apply(
        actor=manager, action=BULK_REPORTED, versions={defect.pk: defect.version}
    )
    assert [pk for pk, _key, _reason in result.refused] == [defect.pk]
    assert StatusChange.objects.filter(defect=defect).count() == before
