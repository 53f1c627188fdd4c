"""The per-week chart and the "affects us too" table from the aggregates of migration 0016 (and
0014's ages) against the defects and records themselves.

The oracle extends test_dashboard_counts' seeded random histories with closes and reopens through
the workflow, closed_at set, moved and cleared by ``QuerySet.update``, reporter changes, records
added, removed and moved, and a defect deleted before its records, and after each step compares
the dashboard with a plain-Python count for a manager and a reporter with confidential defects of
their own.
"""

import contextlib
import datetime as dt
import random
from collections import Counter
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from issues import permissions
from issues.models import AffectsUs, DashboardAffects, DashboardClosed, Defect, Institution, User
from issues.selectors import dashboard_weeks
from issues.selectors.dashboard import dashboard
from issues.services.defects import defect_transition
from issues.services.participation import affects_us_add, affects_us_remove
from tests.factories import make_defect, make_user
from tests.issues.selectors.test_dashboard_counts import NOWS, History

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

OSLO = ZoneInfo("Europe/Oslo")
WEEKS = 12  # restated, so a wrong constant in the app is caught too


def expected(user: User, now: dt.datetime, *, sees_all: bool) -> dict[str, Any]:
    """The per-week chart and the records per institution, in plain Python."""
    since = now.astimezone(OSLO).date() - dt.timedelta(weeks=WEEKS)
    visible = {
        d["pk"]: d
        for d in Defect.objects.values(
            "pk", "confidential", "reporter_id", "created_at", "closed_at"
        )
        if sees_all or not d["confidential"] or d["reporter_id"] == user.pk
    }

    def week(t: dt.datetime) -> str | None:
        day = t.astimezone(OSLO).date()
        return (day - dt.timedelta(days=day.weekday())).isoformat() if day >= since else None

    opened = Counter(w for d in visible.values() if (w := week(d["created_at"])))
    closed = Counter(w for d in visible.values() if d["closed_at"] and (w := week(d["closed_at"])))
    codes = dict(Institution.objects.values_list("pk", "code"))
    records = Counter(
        codes[inst]
        for defect_id, inst in AffectsUs.objects.values_list("defect_id", "institution_id")
        if defect_id in visible
    )
    return {
        "per_week": [
            {"week": w, "opened": opened[w], "closed": closed[w]}
            for w in sorted({*opened, *closed})
        ],
        "affects_by_institution": [
            {"institution": i, "count": n} for i, n in sorted(records.items())
        ],
    }


def charts(user: User) -> dict[str, Any]:
    data = dashboard(user=user)
    return {k: data[k] for k in ("per_week", "affects_by_institution")}


class WeeksHistory(History):
    """History's writes plus those that move the closed dates and the records."""

    def __init__(self, rng: random.Random, reporter: User, manager: User, now: dt.datetime):
        super().__init__(rng, reporter, manager, now)
        self.others.append(make_user(reporter=True, institution="UiB"))
        self.people = [manager, *(make_user(institution=c) for c in ("NTNU", "UiT", "UiB"))]

    def created_at(self) -> dt.datetime:
        # Also around the first day of the twelve weeks and on any weekday.
        if self.rng.random() < 0.5:
            return super().created_at()
        days = self.rng.choice([WEEKS * 7 - 1, WEEKS * 7, WEEKS * 7 + 1, self.rng.randrange(100)])
        local = dt.datetime.combine(self.now.astimezone(OSLO).date(), dt.time.min, OSLO)
        return local - dt.timedelta(days=days, minutes=self.rng.choice([-5, 0, 5]))

    def step(self) -> str:
        ops = ["workflow", "workflow", "closed_at_", "reporter_", "add", "add", "add_raw",
               "remove", "move", "raw_delete"]  # fmt: skip
        if self.rng.random() < 0.5:
            return super().step()
        op = self.rng.choice(ops)
        d = self.pick()
        if d is None:
            self.create()
            return "create"
        getattr(self, op)(d)
        return op

    def workflow(self, d: Defect) -> None:
        """A step of the workflow: closes set closed_at, a reopen clears it."""
        targets = [t for t in permissions.allowed_transitions(self.manager, d) if t != "duplicate"]
        if targets:
            defect_transition(defect=d, actor=self.manager, to_status=self.rng.choice(targets))

    def closed_at_(self, d: Defect) -> None:
        closed_at = None if self.rng.random() < 0.2 else self.created_at()
        Defect.objects.filter(pk=d.pk).update(closed_at=closed_at)

    def reporter_(self, d: Defect) -> None:
        who = self.rng.choice([self.reporter, *self.others])
        Defect.objects.filter(pk=d.pk).update(reporter=who)

    def add(self, d: Defect) -> None:
        who = self.rng.choice(self.people)
        if permissions.can_mark_affected(who, d):
            affects_us_add(defect=d, user=who)

    def add_raw(self, d: Defect) -> None:
        """A record whatever the defect, at an institution other than the user's."""
        with contextlib.suppress(IntegrityError), transaction.atomic():
            AffectsUs.objects.create(
                defect=d,
                user=self.rng.choice(self.people),
                institution=self.rng.choice(list(Institution.objects.all())),
                created_at=self.now,
            )

    def remove(self, d: Defect) -> None:
        record = AffectsUs.objects.filter(defect=d).first()
        if record is None:
            return
        if self.rng.random() < 0.5:
            affects_us_remove(defect=d, user=record.user)
        else:
            AffectsUs.objects.filter(pk=record.pk).delete()

    def move(self, d: Defect) -> None:
        """A record moved to another defect or institution by ``QuerySet.update``."""
        record = AffectsUs.objects.order_by("?").first()
        if record is None:
            return
        change: dict[str, Any] = (
            {"defect": d}
            if self.rng.random() < 0.5
            else {"institution": self.rng.choice(list(Institution.objects.all()))}
        )
        with contextlib.suppress(IntegrityError), transaction.atomic():
            AffectsUs.objects.filter(pk=record.pk).update(**change)

    def raw_delete(self, d: Defect) -> None:
        """A new copy of ``d`` with a record, deleted by SQL: the defect first, its record
        after (the keys are checked at commit). A copy: nothing else points at it."""
        self.insert(d)  # d is now the copy
        self.add_raw(d)
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM issues_defect WHERE id = %s", [d.pk])
            # Its record, still there, counts no more.
            assert charts(self.manager) == expected(self.manager, self.now, sees_all=True)
            cursor.execute("DELETE FROM issues_affectsus WHERE defect_id = %s", [d.pk])


@pytest.mark.parametrize("seed", range(len(NOWS)))
def test_the_weeks_and_records_agree_with_the_rows_after_every_step(
    seed: int, reporter: User, manager: User
) -> None:
    now = NOWS[seed]
    with mock.patch("django.utils.timezone.now", return_value=now):
        history = WeeksHistory(random.Random(100 + seed), reporter, manager, now)
        ops = []
        for i in range(60):
            ops.append(history.step())
            assert charts(manager) == expected(manager, now, sees_all=True), (i, ops[-1])
            assert charts(reporter) == expected(reporter, now, sees_all=False), (i, ops[-1])
        assert len(set(ops)) >= 15  # the history exercised most kinds of write
        # The reporter's own confidential defects were in play.
        assert Defect.objects.filter(reporter=reporter, confidential=True).exists()
    _assert_rebuild_changes_nothing()


def _rows() -> tuple[set[tuple[Any, ...]], set[tuple[Any, ...]]]:
    closed = DashboardClosed.objects.values_list("closed_on", "confidential", "n")
    records = DashboardAffects.objects.values_list("institution_id", "confidential", "owner", "n")
    return set(closed), set(records)


def _assert_rebuild_changes_nothing() -> None:
    """The rows the triggers kept are the rows a count from scratch gives (none with n = 0)."""
    kept = _rows()
    with connection.cursor() as cursor:
        cursor.execute("SELECT issues_dashboard_weeks_rebuild()")
    assert _rows() == kept


def test_the_queries_are_the_same_for_any_amount(reporter: User, manager: User) -> None:
    def queries(user: User) -> list[str]:
        now = dt.datetime(2026, 7, 1, 12, 0, tzinfo=OSLO)
        with CaptureQueriesContext(connection) as captured:
            dashboard_weeks.per_week(user, Defect.objects.none(), now=now)
            dashboard_weeks.affects_by_institution(user, Defect.objects.none())
        return [q["sql"] for q in captured.captured_queries]

    def grow() -> None:
        own = make_defect(reporter, confidential=True)
        affects_us_add(defect=own, user=manager)
        public = make_defect(make_user(reporter=True, institution="UiB"))
        affects_us_add(defect=public, user=reporter)
        defect_transition(defect=public, actor=manager, to_status="rejected")

    grow()
    few = {u.pk: queries(u) for u in (manager, reporter)}
    for _ in range(15):
        grow()
    many = {u.pk: queries(u) for u in (manager, reporter)}
    assert few == many  # the same statements, not only as many
    # The aggregates and the institutions' codes; no defect and no record read.
    assert len(many[manager.pk]) == 3
    assert not any("issues_defect" in q or "issues_affectsus" in q for q in many[manager.pk])
    # The reporter's own confidential defects are counted directly (opened and closed per day);
    # the records on them come from the aggregate, under the reporter as owner (0019).
    assert len(many[reporter.pk]) == 4
    assert not any("issues_affectsus" in q for q in many[reporter.pk])
    assert sum(r["count"] for r in charts(reporter)["affects_by_institution"]) == 32


def test_seed_demo_rebuilds_the_weeks_and_records_and_turns_the_triggers_back_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from issues.demo import seed

    monkeypatch.setattr(seed, "DEFER_INDEXES_FROM", 10)
    call_command("seed_demo", defects=80, seed=7)
    assert DashboardClosed.objects.exists()
    assert sum(DashboardAffects.objects.values_list("n", flat=True)) == AffectsUs.objects.count()
    _assert_rebuild_changes_nothing()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname, tgenabled FROM pg_trigger "
            "WHERE tgrelid = 'issues_affectsus'::regclass AND tgname LIKE '%%dashboard%%'"
        )
        assert dict(cursor.fetchall()) == {
            "issues_affectsus_dashboard": "O",
            "issues_affectsus_dashboard_update": "O",
            "issues_affectsus_dashboard_weeks_truncate": "O",
        }


@pytest.mark.django_db(transaction=True)
def test_a_reporters_own_confidential_counts_need_no_heap_visit(client: Any) -> None:
    """The direct counts of a reporter's own confidential defects (open groups, per-week chart)
    are covered by an index: at 1,000,000 defects they visited 1,724 heap pages each. The tables are vacuumed as autovacuum would (an index-only scan is
    costed by the visibility map) and the planner told to prefer indexes, since on a test
    database's few rows it would read the tables; the check is that an index-only plan exists."""
    reporter = make_user("reporter", institution="UiO")
    mine = make_defect(reporter, title="Lønn feil for én person", confidential=True)
    # A record on a confidential defect, as one made before the defect became confidential.
    other = make_user("reporter", institution="UiB")
    AffectsUs.objects.create(
        defect=mine,
        user=other,
        institution=Institution.objects.get(code="UiB"),
        created_at=mine.created_at,
    )
    client.force_login(reporter)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/oversikt/").status_code == 200
    own = [
        q["sql"]
        for q in queries.captured_queries
        if f'"issues_defect"."reporter_id" = {reporter.pk}' in q["sql"]
    ]
    assert len(own) == 2  # the records on them are in the aggregate (0019)
    plans = []
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE issues_defect, issues_affectsus")
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_bitmapscan = off")
        try:
            for sql in own:
                cursor.execute(f"EXPLAIN {sql}")
                plans.append("\n".join(row[0] for row in cursor.fetchall()))
        finally:
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET enable_bitmapscan")
    for plan in plans:
        assert "Index Only Scan using defect_own_confidential_idx" in plan, plan
        scans = [line for line in plan.splitlines() if "Scan" in line]
        assert all("Index Only Scan" in line for line in scans), plan
