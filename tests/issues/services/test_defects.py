import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from issues.errors import ConcurrentEdit, TransitionNotAllowed
from issues.models import Category, Defect, DefectStatus, Institution, OrgUnit, StatusChange, User
from issues.services.comments import comment_create
from issues.services.defects import defect_override_tier, defect_transition, defect_update
from issues.services.participation import affects_us_add, affects_us_remove
from tests.factories import make_defect, make_user
from tests.issues.pd_numbers import first_national_id

pytestmark = pytest.mark.django_db


def test_create_derives_tier_reasons_and_cost(reporter: User) -> None:
    defect = make_defect(
        reporter,
        facts={"blocks_pay": True, "frustration": True},
        extra_hours_per_week=Decimal("1.5"),
        people_affected=4,
    )
    defect.refresh_from_db()
    assert defect.key == f"BOTT-{defect.pk}"
    assert (defect.rule_tier, defect.tier) == (1, 1)
    assert [r["fact"] for r in defect.rule_reasons] == ["blocks_pay"]
    assert defect.weekly_cost == Decimal("6.00")
    assert defect.status == DefectStatus.NEW
    assert defect.history.count() == 1
    assert defect.history.first().history_user == reporter
    assert defect.follows.filter(user=reporter).exists()
    assert StatusChange.objects.get(defect=defect).actor == reporter


def test_create_rejects_category_of_another_area(reporter: User) -> None:
    wrong = Category.objects.get(area__code="TOA", code="stipend")
    with pytest.raises(ValidationError) as err:
        make_defect(reporter, area_code="BTB", category=wrong)
    assert "category" in err.value.message_dict
    assert not Defect.objects.exists()


def test_create_rejects_unit_of_another_institution(reporter: User) -> None:
    unit = OrgUnit.objects.get(institution__code="UiB", code="MN")
    with pytest.raises(ValidationError) as err:
        make_defect(reporter, unit=unit)
    assert "unit" in err.value.message_dict
    assert not Defect.objects.exists()


def test_create_masks_personal_data_in_free_text(reporter: User) -> None:
    fnr = first_national_id("010190")
    defect = make_defect(
        reporter,
        title=f"Lønn mangler for {fnr}",
        description=f"Konto 1234.56.78903 og fnr {fnr[:6]} {fnr[6:]}, ordre 12345678901.",
        workaround=f"Ring {fnr}",
    )
    defect.refresh_from_db()
    stored = " ".join([defect.title, defect.description, defect.workaround])
    assert fnr not in stored
    assert f"{fnr[:6]} {fnr[6:]}" not in stored
    assert "1234.56.78903" not in stored
    assert "****.**.*****" in defect.description
    assert "12345678901" in defect.description  # fails mod-11: an order number, left alone
    historical = " ".join(defect.history.values_list("description", flat=True))
    assert "1234.56.78903" not in historical


def test_facts_change_recomputes_tier_and_override_wins(reporter: User, manager: User) -> None:
    defect = make_defect(reporter, facts={"frustration": True})
    assert defect.tier == 3
    defect = defect_update(
        defect=defect, actor=reporter, expected_version=1, data={"extra_work_local": True}
    )
    assert (defect.rule_tier, defect.tier, defect.version) == (2, 2, 2)
    defect = defect_override_tier(
        defect=defect, actor=manager, tier=1, reason="Rammer lønn i januar", expected_version=2
    )
    assert (defect.rule_tier, defect.tier, defect.tier_override) == (2, 1, 1)
    assert defect.override_by == manager
    # A later fact change moves the rule's tier but not the override.
    defect = defect_update(
        defect=defect, actor=manager, expected_version=3, data={"extra_work_local": False}
    )
    assert (defect.rule_tier, defect.tier) == (3, 1)
    reasons = list(defect.history.values_list("override_reason", flat=True))
    assert "Rammer lønn i januar" in reasons


def test_override_needs_a_reason_and_the_management_role(reporter: User, manager: User) -> None:
    defect = make_defect(reporter)
    with pytest.raises(ValidationError):
        defect_override_tier(defect=defect, actor=manager, tier=1, reason="  ", expected_version=1)
    with pytest.raises(PermissionDenied):
        defect_override_tier(
            defect=defect, actor=reporter, tier=1, reason="fordi", expected_version=1
        )
    defect.refresh_from_db()
    assert defect.tier_override is None
    assert defect.version == 1


def test_reporter_cannot_set_management_fields(reporter: User) -> None:
    defect = make_defect(reporter)
    with pytest.raises(PermissionDenied):
        defect_update(
            defect=defect, actor=reporter, expected_version=1, data={"dfo_reference": "X"}
        )


def test_stale_version_is_refused_and_names_what_changed(reporter: User, manager: User) -> None:
    defect = make_defect(reporter)
    defect_update(
        defect=defect, actor=manager, expected_version=1, data={"title": "Første triager"}
    )
    with pytest.raises(ConcurrentEdit) as err:
        defect_update(
            defect=defect, actor=manager, expected_version=1, data={"title": "Andre triager"}
        )
    assert err.value.current_version == 2
    assert "title" in err.value.changed
    defect.refresh_from_db()
    assert defect.title == "Første triager"


def test_transition_table_is_enforced_with_a_helpful_error(
    reporter: User, manager: User, liaison: User
) -> None:
    defect = make_defect(reporter)
    with pytest.raises(TransitionNotAllowed) as err:
        defect_transition(defect=defect, actor=manager, to_status=DefectStatus.FIXED)
    message = " ".join(err.value.messages)
    assert "Vurdert" in message
    assert "Avvist" in message
    assert set(err.value.allowed) == {"triaged", "rejected", "duplicate"}

    defect = defect_transition(defect=defect, actor=manager, to_status="triaged")
    assert defect.triaged_at is not None
    # The liaison may report it to DFØ but not triage or reject from new.
    defect = defect_transition(defect=defect, actor=liaison, to_status="reported_to_dfo")
    assert defect.reported_to_dfo_at is not None
    defect = defect_transition(defect=defect, actor=liaison, to_status="fixed")
    # The reporter verifies the fix; the management team closes.
    defect = defect_transition(defect=defect, actor=reporter, to_status="verified")
    defect = defect_transition(defect=defect, actor=manager, to_status="closed")
    assert defect.closed_at is not None
    defect = defect_transition(defect=defect, actor=reporter, to_status="reopened")
    assert defect.closed_at is None
    steps = list(defect.status_changes.values_list("to_status", "actor"))
    assert [s for s, _ in steps] == [
        "new", "triaged", "reported_to_dfo", "fixed", "verified", "closed", "reopened",
    ]  # fmt: skip
    assert steps[2][1] == liaison.pk


def test_reporter_cannot_triage_their_own_defect(reporter: User) -> None:
    defect = make_defect(reporter)
    with pytest.raises(TransitionNotAllowed) as err:
        defect_transition(defect=defect, actor=reporter, to_status="triaged")
    assert err.value.allowed == ()


def test_duplicate_needs_a_target(reporter: User, manager: User) -> None:
    a, b = make_defect(reporter), make_defect(reporter)
    with pytest.raises(ValidationError):
        defect_transition(defect=b, actor=manager, to_status="duplicate")
    b = defect_transition(defect=b, actor=manager, to_status="duplicate", duplicate_of=a)
    assert b.duplicate_of == a
    assert b.closed_at is not None


def test_affects_us_once_per_user_and_counts_institutions(
    reporter: User, other_reporter: User
) -> None:
    defect = make_defect(reporter)
    affects_us_add(defect=defect, user=other_reporter)
    affects_us_add(defect=defect, user=other_reporter)
    colleague = make_user("reporter", institution="UiB")
    affects_us_add(defect=defect, user=colleague)
    defect.refresh_from_db()
    assert defect.affects_count == 2
    assert defect.institutions_affected == 2  # UiO (reporter) and UiB
    assert defect.follows.filter(user=other_reporter).exists()
    affects_us_remove(defect=defect, user=colleague)
    defect.refresh_from_db()
    assert defect.affects_count == 1


def test_cannot_act_on_a_confidential_defect_one_cannot_see(
    reporter: User, other_reporter: User
) -> None:
    defect = make_defect(reporter, confidential=True)
    with pytest.raises(PermissionDenied):
        affects_us_add(defect=defect, user=other_reporter)
    with pytest.raises(PermissionDenied):
        comment_create(defect=defect, author=other_reporter, body="hei")


def test_internal_comments_only_from_management(reporter: User, manager: User) -> None:
    defect = make_defect(reporter)
    with pytest.raises(PermissionDenied):
        comment_create(defect=defect, author=reporter, body="x", internal=True)
    comment = comment_create(defect=defect, author=manager, body="Intern", internal=True)
    assert comment.internal


def test_defect_needs_an_institution() -> None:
    user = make_user("reporter")
    user.institution = None
    user.save()
    with pytest.raises(ValidationError):
        make_defect(user)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_transitions_do_not_both_win() -> None:
    """Two triagers triage the same defect at once: the row lock lets exactly one through."""
    assert connection.vendor == "postgresql"
    reporter = make_user("reporter")
    managers = [make_user("management"), make_user("management")]
    defect = make_defect(reporter)
    results: list[str] = []
    barrier = threading.Barrier(2)

    def work(user: User) -> None:
        barrier.wait()
        try:
            defect_transition(
                defect=Defect.objects.get(pk=defect.pk),
                actor=user,
                to_status="triaged",
                expected_version=1,
            )
            results.append("ok")
        except (ConcurrentEdit, TransitionNotAllowed):
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(m,)) for m in managers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok", "refused"]
    defect.refresh_from_db()
    assert defect.version == 2
    assert defect.status_changes.filter(to_status="triaged").count() == 1
    assert Institution.objects.count() == 4
