import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from issues.models import AffectsUs, Comment, Defect, Meeting, Release, StatusChange
from issues.workflow import TRANSITIONS
from priorities.rules import classify

pytestmark = pytest.mark.django_db


def _snapshot() -> list[tuple[object, ...]]:
    return list(
        Defect.objects.order_by("pk").values_list(
            "title", "area__code", "status", "tier", "institution__code"
        )
    )


def test_seed_demo_is_deterministic_realistic_and_consistent() -> None:
    call_command("seed_demo", defects=150, seed=7)
    first = _snapshot()
    assert len(first) == 150
    assert {row[1] for row in first} >= {"BTB", "TILGANG", "TOA"}
    assert {row[4] for row in first} == {"UiO", "UiB", "NTNU", "UiT"}
    assert len({row[2] for row in first}) >= 6
    assert Comment.objects.exists()
    assert AffectsUs.objects.exists()
    assert Release.objects.exists()
    assert Meeting.objects.exists()
    for defect in Defect.objects.all():
        assert defect.rule_tier == classify(defect.facts).tier
        assert defect.tier == (defect.tier_override or defect.rule_tier)
        steps = list(
            defect.status_changes.order_by("at", "id").values_list("from_status", "to_status")
        )
        assert steps[-1][1] == defect.status
        for before, after in steps[1:]:
            assert after in TRANSITIONS[before], (defect.pk, before, after)
        assert defect.affects_count == defect.affects.count()
        assert (defect.status == "duplicate") == (defect.duplicate_of_id is not None)
    assert StatusChange.objects.count() >= 150

    Defect.objects.all().delete()
    call_command("seed_demo", defects=150, seed=7)
    assert _snapshot() == first


def test_if_empty_loads_once_and_demo_logins_work() -> None:
    call_command("seed_demo", defects=20, if_empty=True)
    call_command("seed_demo", defects=20, if_empty=True)
    assert Defect.objects.count() == 20
    for username in ("melder.uio", "forvaltning.uib", "dfo.kontakt", "admin"):
        assert authenticate(username=username, password="bott-demo") is not None


@pytest.mark.postgres
def test_a_large_load_builds_the_indexes_after_and_leaves_the_tables_analysed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from django.db import connection

    from issues.demo import seed

    def indexes() -> set[tuple[str, str]]:
        # By name and table (PostgreSQL deparses an expression index's casts differently when
        # it is rebuilt from its own definition).
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, tablename FROM pg_indexes WHERE tablename = ANY(%s)",
                [[m._meta.db_table for m in seed.LOADED]],
            )
            return set(cursor.fetchall())

    def foreign_keys() -> set[tuple[str, str, str]]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)"
                " FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)",
                [[m._meta.db_table for m in seed.LOADED]],
            )
            return set(cursor.fetchall())

    before, keys = indexes(), foreign_keys()
    assert keys  # the defects' keys to areas, users ... exist to be dropped and restored
    monkeypatch.setattr(seed, "DEFER_INDEXES_FROM", 10)
    call_command("seed_demo", defects=30, seed=3)
    assert indexes() == before
    # Dropped for the load and added back, as deferrable as Django made them.
    assert foreign_keys() == keys
    assert Defect.objects.count() == 30
    assert Defect.objects.filter(title__icontains="a").exists()  # the trigram index is back
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'issues_defect'")
        assert cursor.fetchone()[0] == 30  # ANALYZE ran: the planner knows the row count
