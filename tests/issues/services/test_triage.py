"""Merge, bulk actions, saved filters and concurrency of the triage services."""

import threading
import time
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections, transaction

from issues.errors import ConcurrentEdit, TransitionNotAllowed
from issues.models import (
    AffectsUs,
    Comment,
    Defect,
    DefectStatus,
    Follow,
    Release,
    SavedFilter,
    StatusChange,
    User,
)
from issues.services.comments import comment_create
from issues.services.defects import defect_transition, defect_update
from issues.services.merge import defect_merge
from issues.services.participation import affects_us_add, follow_set
from issues.services.triage import (
    BULK_OWNER,
    BULK_RELEASE,
    BULK_REPORTED,
    BULK_TRANSITION,
    defect_bulk_apply,
    saved_filter_delete,
    saved_filter_save,
)
from tests.factories import AttachmentFactory, make_defect, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: pytest.FixtureRequest, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]


def test_merge_across_universities_moves_and_links_everything(
    reporter: User, other_reporter: User, manager: User
) -> None:
    canonical = make_defect(reporter, title="Faktura henger i arbeidsflyt")  # UiO
    duplicate = make_defect(other_reporter, title="Faktura står fast")  # UiB
    follower = make_user("reporter", institution="UiT")
    follow_set(defect=duplicate, user=follower, follow=True)
    affected = make_user("reporter", institution="NTNU")
    affects_us_add(defect=duplicate, user=affected)
    comment = comment_create(defect=duplicate, author=other_reporter, body="Samme her")
    attachment = AttachmentFactory.create(
        defect=duplicate, original_name="skjerm.png", content_type="image/png", content=b"abc"
    )
    duplicate.refresh_from_db()

    result = defect_merge(
        duplicate=duplicate,
        canonical=canonical,
        actor=manager,
        duplicate_version=duplicate.version,
        canonical_version=canonical.version,
    )

    duplicate.refresh_from_db()
    assert duplicate.status == DefectStatus.DUPLICATE
    assert duplicate.duplicate_of_id == canonical.pk
    assert list(result.duplicates.all()) == [duplicate]  # the link back
    # Reporter and "affects us too" people now count on the canonical defect.
    assert set(AffectsUs.objects.filter(defect=canonical).values_list("user_id", flat=True)) == {
        other_reporter.pk,
        affected.pk,
    }
    assert result.affects_count == 2
    assert result.institutions_affected == 3  # UiO, UiB, NTNU
    assert Follow.objects.filter(defect=canonical, user=follower).exists()
    assert Follow.objects.filter(defect=canonical, user=other_reporter).exists()
    comment.refresh_from_db()
    attachment.refresh_from_db()
    assert (comment.defect_id, comment.moved_from_id) == (canonical.pk, duplicate.pk)
    assert comment.body == "Samme her"
    assert (attachment.defect_id, attachment.moved_from_id) == (canonical.pk, duplicate.pk)
    # Nothing deleted: the duplicate keeps its own records.
    assert AffectsUs.objects.filter(defect=duplicate, user=affected).exists()
    assert Follow.objects.filter(defect=duplicate, user=follower).exists()
    # History both ways.
    dup_change = StatusChange.objects.filter(defect=duplicate).latest("id")
    assert dup_change.to_status == DefectStatus.DUPLICATE
    assert canonical.key in dup_change.note
    canon_change = StatusChange.objects.filter(defect=canonical).latest("id")
    assert duplicate.key in canon_change.note
    assert canonical.history.first().history_user == manager
    assert result.version == canonical.version + 1


def test_merge_refuses_stale_version_and_writes_nothing(
    reporter: User, other_reporter: User, manager: User
) -> None:
    canonical = make_defect(reporter)
    duplicate = make_defect(other_reporter)
    comment_create(defect=duplicate, author=other_reporter, body="Hei")
    defect_update(
        defect=canonical, actor=manager, expected_version=1, data={"dfo_reference": "DFØ-1"}
    )
    with pytest.raises(ConcurrentEdit) as exc:
        defect_merge(
            duplicate=duplicate,
            canonical=canonical,
            actor=manager,
            duplicate_version=1,
            canonical_version=1,
        )
    assert "dfo_reference" in exc.value.changed
    duplicate.refresh_from_db()
    assert duplicate.status == DefectStatus.NEW
    assert Comment.objects.get().defect_id == duplicate.pk


def test_merge_refusals(reporter: User, other_reporter: User, manager: User) -> None:
    a = make_defect(reporter)
    b = make_defect(other_reporter)
    with pytest.raises(PermissionDenied):
        defect_merge(
            duplicate=a, canonical=b, actor=reporter, duplicate_version=1, canonical_version=1
        )
    with pytest.raises(ValidationError):
        defect_merge(
            duplicate=a, canonical=a, actor=manager, duplicate_version=1, canonical_version=1
        )
    # A fixed defect cannot become a duplicate: the workflow table says so.
    for status in ("triaged", "reported_to_dfo", "fixed"):
        a = defect_transition(defect=a, actor=manager, to_status=status)
    with pytest.raises(TransitionNotAllowed):
        defect_merge(
            duplicate=a,
            canonical=b,
            actor=manager,
            duplicate_version=a.version,
            canonical_version=b.version,
        )
    assert Defect.objects.get(pk=a.pk).status == "fixed"


def test_bulk_transition_moves_allowed_rows_and_lists_refused_ones(
    reporter: User, manager: User
) -> None:
    new1 = make_defect(reporter)
    new2 = make_defect(reporter)
    fixed = make_defect(reporter)
    for status in ("triaged", "reported_to_dfo", "fixed"):
        fixed = defect_transition(defect=fixed, actor=manager, to_status=status)
    stale = make_defect(reporter)
    defect_update(defect=stale, actor=manager, expected_version=1, data={"dfo_reference": "X"})

    result = defect_bulk_apply(
        actor=manager,
        action=BULK_TRANSITION,
        value="triaged",
        versions={new1.pk: 1, new2.pk: 1, fixed.pk: fixed.version, stale.pk: 1, 999999: 1},
    )

    assert sorted(d.pk for d in result.done) == [new1.pk, new2.pk]
    refused = {pk: reason for pk, _key, reason in result.refused}
    assert set(refused) == {fixed.pk, stale.pk, 999999}
    assert "Kan ikke gå fra" in refused[fixed.pk]
    assert "endret av noen andre" in refused[stale.pk]
    statuses = dict(Defect.objects.values_list("pk", "status"))
    assert statuses[new1.pk] == statuses[new2.pk] == "triaged"
    assert statuses[fixed.pk] == "fixed"
    assert statuses[stale.pk] == "new"


def test_bulk_release_owner_and_reported(reporter: User, manager: User) -> None:
    d1 = defect_transition(defect=make_defect(reporter), actor=manager, to_status="triaged")
    d2 = make_defect(reporter)  # new: cannot go straight to "reported to DFØ"
    release = Release.objects.create(name="2026.11")
    result = defect_bulk_apply(
        actor=manager,
        action=BULK_RELEASE,
        value=release,
        versions={d1.pk: d1.version, d2.pk: d2.version},
    )
    assert len(result.done) == 2
    assert Defect.objects.filter(target_release=release).count() == 2
    result = defect_bulk_apply(
        actor=manager,
        action=BULK_OWNER,
        value=manager,
        versions={d.pk: d.version for d in Defect.objects.all()},
    )
    assert Defect.objects.filter(owner=manager).count() == 2
    result = defect_bulk_apply(
        actor=manager,
        action=BULK_REPORTED,
        versions={d.pk: d.version for d in Defect.objects.all()},
    )
    assert [d.pk for d in result.done] == [d1.pk]
    assert [pk for pk, _k, _r in result.refused] == [d2.pk]
    assert Defect.objects.get(pk=d1.pk).reported_to_dfo_at is not None


def test_bulk_and_saved_filters_are_for_management_only(
    reporter: User, liaison: User, manager: User
) -> None:
    d = make_defect(reporter)
    for user in (reporter, liaison):
        with pytest.raises(PermissionDenied):
            defect_bulk_apply(actor=user, action=BULK_REPORTED, versions={d.pk: d.version})
        with pytest.raises(PermissionDenied):
            saved_filter_save(owner=user, name="Mine", query="tier=1")
    assert Defect.objects.get(pk=d.pk).status == "new"


def test_saved_filter_save_replace_and_delete(manager: User) -> None:
    other = make_user("management", institution="UiB")
    saved = saved_filter_save(owner=manager, name="Nivå 1", query="?tier=1", shared=True)
    assert saved.query == "tier=1"
    again = saved_filter_save(owner=manager, name="Nivå 1", query="tier=1&tier=2")
    assert again.pk == saved.pk
    assert not again.shared
    with pytest.raises(ValidationError):
        saved_filter_save(owner=manager, name="  ", query="")
    with pytest.raises(ValidationError):
        saved_filter_delete(owner=other, pk=saved.pk)
    saved_filter_delete(owner=manager, pk=saved.pk)
    assert not SavedFilter.objects.exists()


def _wait_for_lock_waiter(timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    with connections["default"].cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.02)  # polling pg_stat_activity; there is no event to wait on
    return False


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_row_lock_serialises_concurrent_edits_and_second_is_refused() -> None:
    """Two triagers save the same version at once: one wins, the other gets ConcurrentEdit."""
    if connection.vendor != "postgresql":
        pytest.fail("needs PostgreSQL")
    manager = make_user("management", institution="NTNU")
    defect = make_defect(make_user("reporter"))
    holding = threading.Event()
    release = threading.Event()
    outcome: dict[str, object] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                defect_update(
                    defect=defect,
                    actor=manager,
                    expected_version=1,
                    data={"dfo_reference": "FØRST"},
                )
                holding.set()
                release.wait(10)
            outcome["first"] = "saved"
        finally:
            connection.close()

    def second() -> None:
        try:
            defect_update(
                defect=defect, actor=manager, expected_version=1, data={"dfo_reference": "ANDRE"}
            )
            outcome["second"] = "saved"
        except ConcurrentEdit as exc:
            outcome["second"] = exc
        finally:
            connection.close()

    t1 = threading.Thread(target=first)
    t1.start()
    assert holding.wait(10)
    t2 = threading.Thread(target=second)
    t2.start()
    # Wait until PostgreSQL reports the second transaction waiting on the row lock.
    assert _wait_for_lock_waiter()
    assert t2.is_alive()
    release.set()
    t1.join(10)
    t2.join(10)
    assert outcome["first"] == "saved"
    exc = outcome["second"]
    assert isinstance(exc, ConcurrentEdit)
    assert exc.current_version == 2
    assert exc.changed == ["dfo_reference"]
    assert Defect.objects.get(pk=defect.pk).dfo_reference == "FØRST"
