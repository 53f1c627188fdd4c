"""The dashboard's trigger-kept aggregates (migration 0014) against the defects themselves.

The oracle replays seeded random histories of writes of every kind (services, ``save``,
``QuerySet.update``, deletes, raw inserts) and after each step compares the dashboard's open-defect
numbers with a plain-Python count over ``Defect.objects.values()``, for a manager and for a
reporter with confidential defects of their own.
"""

import contextlib
import datetime as dt
import random
from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext

from issues.models import Area, DashboardAge, DashboardCount, Defect, User
from issues.selectors import dashboard_counts
from issues.selectors.dashboard import dashboard
from issues.services.defects import defect_override_tier, defect_transition
from issues.services.merge import defect_merge
from tests.factories import make_defect, make_user

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

OSLO = ZoneInfo("Europe/Oslo")
# Restated rather than imported, so a wrong constant in the app is caught too.
CLOSED = {"closed", "rejected", "duplicate"}
STATUSES = ["new", "triaged", "reported_to_dfo", "fixed", "verified", "reopened", *CLOSED]
BUCKETS = (("0-7", 0, 7), ("8-30", 8, 30), ("31-90", 31, 90), ("91-365", 91, 365))
HOURS = [None, Decimal("0"), Decimal("0.25"), Decimal("1.50"), Decimal("37.50"), Decimal("168")]


def expected(user: User, today: dt.date, *, sees_all: bool) -> dict[str, Any]:
    """The open-defect charts, from the defects' own values in plain Python."""
    tiers: dict[str, Counter[int]] = defaultdict(Counter)
    hours: dict[str, Decimal] = defaultdict(Decimal)
    ages: Counter[str] = Counter()
    codes = dict(Area.objects.values_list("pk", "code"))
    for d in Defect.objects.values(
        "status", "area_id", "tier", "confidential", "reporter_id", "created_at",
        "workaround_hours_per_week",
    ):  # fmt: skip
        if d["status"] in CLOSED or (
            d["confidential"] and not sees_all and d["reporter_id"] != user.pk
        ):
            continue
        code = codes[d["area_id"]]
        tiers[code][d["tier"]] += 1
        hours[code] += d["workaround_hours_per_week"] or 0
        age = (today - d["created_at"].astimezone(OSLO).date()).days
        for label, lo, hi in (*BUCKETS, (">365", 366, None)):
            if age >= lo and (hi is None or age <= hi):
                ages[label] += 1
    return {
        "by_area_tier": [
            {"area": a, "tier1": t[1], "tier2": t[2], "tier3": t[3]}
            for a, t in sorted(tiers.items())
        ],
        "age": [{"bucket": b, "count": ages[b]} for b, _lo, _hi in (*BUCKETS, (">365", 0, 0))],
        "cost_by_area": [{"area": a, "hours": float(h)} for a, h in sorted(hours.items())],
    }


def charts(user: User) -> dict[str, Any]:
    data = dashboard(user=user)
    return {k: data[k] for k in ("by_area_tier", "age", "cost_by_area")}


class History:
    """One seeded random history of writes to the defects."""

    def __init__(self, rng: random.Random, reporter: User, manager: User, now: dt.datetime):
        self.rng, self.reporter, self.manager, self.now = rng, reporter, manager, now
        self.others = [make_user(reporter=True) for _ in range(2)]
        self.areas = list(Area.objects.values_list("pk", flat=True))
        # Confidential defects of the reporter's own and of someone else's from the start.
        make_defect(reporter, confidential=True, workaround_hours_per_week=Decimal(4))
        make_defect(self.others[0], confidential=True, area_code="TOA")

    def created_at(self) -> dt.datetime:
        # Near the bucket edges and local midnight, up to two years back, and a few in the future.
        days = self.rng.choice([0, 1, 7, 8, 30, 31, 90, 91, 365, 366, 367, 700, -1])
        minutes = self.rng.choice([-5, 0, 5, 60 * 12])
        local = dt.datetime.combine(self.now.astimezone(OSLO).date(), dt.time.min, OSLO)
        return local - dt.timedelta(days=days) + dt.timedelta(minutes=minutes)

    def pick(self) -> Defect | None:
        pks = list(Defect.objects.values_list("pk", flat=True))
        return Defect.objects.get(pk=self.rng.choice(pks)) if pks else None

    def step(self) -> str:
        op = self.rng.choice(
            ["create", "create", "insert", "status", "transition", "override", "area",
             "confidential", "bulk", "delete", "created_at_", "hours", "merge", "unrelated"]
        )  # fmt: skip
        d = self.pick()
        if op == "create" or d is None:
            self.create()
            return "create"
        getattr(self, op)(d)
        return op

    def create(self) -> None:
        who = self.rng.choice([self.reporter, *self.others])
        made = make_defect(who, facts={"blocks_pay": self.rng.random() < 0.3})
        Defect.objects.filter(pk=made.pk).update(
            confidential=self.rng.random() < 0.4, created_at=self.created_at()
        )

    def insert(self, d: Defect) -> None:
        """A plain INSERT with every counted column drawn at random."""
        rng = self.rng
        d.pk = d.id = None
        d.status, d.tier = rng.choice(STATUSES), rng.choice([1, 2, 3])
        d.area_id, d.confidential = rng.choice(self.areas), rng.random() < 0.5
        d.reporter = rng.choice([self.reporter, *self.others])
        d.created_at, d.workaround_hours_per_week = self.created_at(), rng.choice(HOURS)
        d.duplicate_of, d.category_id = None, None
        d.save()

    def status(self, d: Defect) -> None:
        Defect.objects.filter(pk=d.pk).update(status=self.rng.choice(STATUSES))

    def transition(self, d: Defect) -> None:
        if d.status == "new":
            defect_transition(defect=d, actor=self.manager, to_status="triaged")

    def override(self, d: Defect) -> None:
        defect_override_tier(
            defect=d, actor=self.manager, tier=self.rng.choice([1, 2, 3, None]),
            reason="Vurdert i møtet", expected_version=None,
        )  # fmt: skip

    def area(self, d: Defect) -> None:
        d.area_id, d.category_id = self.rng.choice(self.areas), None  # the category is the area's
        d.save(update_fields=["area", "category"])

    def confidential(self, d: Defect) -> None:
        Defect.objects.filter(pk=d.pk).update(confidential=not d.confidential)

    def bulk(self, d: Defect) -> None:
        status, tier = self.rng.choice(STATUSES), self.rng.choice([1, 2, 3])
        pks = list(Defect.objects.values_list("pk", flat=True))
        chosen = self.rng.sample(pks, k=min(3, len(pks)))
        Defect.objects.filter(pk__in=chosen).update(status=status, tier=tier)

    def delete(self, d: Defect) -> None:
        # A defect another was merged into is protected; the step then changes nothing.
        with contextlib.suppress(ProtectedError):
            Defect.objects.filter(pk=d.pk).delete()

    def created_at_(self, d: Defect) -> None:
        Defect.objects.filter(pk=d.pk).update(created_at=self.created_at())

    def hours(self, d: Defect) -> None:
        Defect.objects.filter(pk=d.pk).update(workaround_hours_per_week=self.rng.choice(HOURS))

    def merge(self, d: Defect) -> None:
        other = self.pick()
        open_ = {"new", "triaged", "reported_to_dfo", "reopened"}
        if other and other.pk != d.pk and {d.status, other.status} <= open_:
            defect_merge(
                duplicate=d, canonical=other, actor=self.manager,
                duplicate_version=d.version, canonical_version=other.version,
            )  # fmt: skip

    def unrelated(self, d: Defect) -> None:
        Defect.objects.filter(pk=d.pk).update(title=f"Endret tittel {self.rng.random()}")


NOWS = [
    dt.datetime(2026, 3, 29, 0, 10, tzinfo=OSLO),  # just after midnight, on the DST change
    dt.datetime(2026, 11, 30, 23, 55, tzinfo=OSLO),  # just before midnight
    dt.datetime(2026, 7, 1, 12, 0, tzinfo=OSLO),
]


@pytest.mark.parametrize("seed", range(len(NOWS)))
def test_the_aggregates_agree_with_the_defects_after_every_step(
    seed: int, reporter: User, manager: User
) -> None:
    now = NOWS[seed]
    with mock.patch("django.utils.timezone.now", return_value=now):
        history = History(random.Random(seed), reporter, manager, now)
        today = now.date()
        ops = []
        for i in range(40):
            ops.append(history.step())
            assert charts(manager) == expected(manager, today, sees_all=True), (i, ops[-1])
            assert charts(reporter) == expected(reporter, today, sees_all=False), (i, ops[-1])
        assert len(set(ops)) >= 10  # the history exercised most kinds of write
    _assert_rebuild_changes_nothing()


def _rows() -> tuple[set[tuple[Any, ...]], set[tuple[Any, ...]]]:
    counts = DashboardCount.objects.values_list(
        "confidential", "status", "area", "tier", "n", "hours"
    )
    ages = DashboardAge.objects.values_list("created_on", "confidential", "status", "n")
    return set(counts), set(ages)


def _assert_rebuild_changes_nothing() -> None:
    """The rows the triggers kept are the rows a count from scratch gives (none with n = 0)."""
    kept = _rows()
    with connection.cursor() as cursor:
        cursor.execute("SELECT issues_dashboard_rebuild()")
    assert _rows() == kept


def _versions() -> set[tuple[str, int, str]]:
    """Each aggregate row with its xmin, the transaction that last wrote it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 'count', id, xmin::text FROM issues_dashboardcount "
            "UNION ALL SELECT 'age', id, xmin::text FROM issues_dashboardage"
        )
        return set(cursor.fetchall())


@pytest.mark.django_db(transaction=True)
def test_the_trigger_writes_nothing_when_no_counted_column_changes(reporter: User) -> None:
    defect = make_defect(reporter, workaround_hours_per_week=Decimal(2))
    make_defect(reporter)
    before = _versions()
    Defect.objects.filter(pk=defect.pk).update(title="Ny tittel på saken", version=7)
    defect.refresh_from_db()
    defect.description = "Mer om feilen"
    defect.save()  # every column in the UPDATE, none of the counted ones changed
    assert _versions() == before
    # Only the hours: the count row is written, the age row is not.
    Defect.objects.filter(pk=defect.pk).update(workaround_hours_per_week=Decimal(3))
    changed = {(kind, pk) for kind, pk, _x in _versions() - before}
    assert changed == {("count", DashboardCount.objects.get(n=2).pk)}
    assert DashboardCount.objects.get().hours == Decimal(3)


def test_the_dashboard_reads_the_same_queries_and_no_defect_for_any_amount(
    reporter: User, manager: User
) -> None:
    def queries(user: User) -> list[str]:
        dashboard(user=user)  # warm per-process caches (groups)
        with CaptureQueriesContext(connection) as captured:
            dashboard_counts.open_groups(user, Defect.objects.none())
        return [q["sql"] for q in captured.captured_queries]

    make_defect(reporter, confidential=True)
    few = {u.pk: queries(u) for u in (manager, reporter)}
    for _ in range(20):
        make_defect(reporter, confidential=True)
        make_defect(make_user(reporter=True), area_code="TOA")
    many = {u.pk: queries(u) for u in (manager, reporter)}
    assert few == many  # the same statements, not only as many
    assert len(many[manager.pk]) == 1
    assert "issues_defect" not in many[manager.pk][0]
    # The reporter's own confidential defects are counted directly, by reporter.
    assert len(many[reporter.pk]) == 2
    assert (
        sum(r["n"] for r in dashboard_counts.open_groups(reporter, Defect.objects.none())[0]) == 41
    )


def test_seed_demo_rebuilds_the_aggregates_once_and_turns_the_triggers_back_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from issues.demo import seed

    monkeypatch.setattr(seed, "DEFER_INDEXES_FROM", 10)
    call_command("seed_demo", defects=60, seed=5)
    assert DashboardCount.objects.exists()
    _assert_rebuild_changes_nothing()
    assert sum(DashboardCount.objects.values_list("n", flat=True)) == 60
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = 'issues_defect'::regclass "
            "AND tgname LIKE 'issues_defect_dashboard%%'"
        )
        assert dict(cursor.fetchall()) == {
            "issues_defect_dashboard": "O",
            "issues_defect_dashboard_update": "O",
            "issues_defect_dashboard_truncate": "O",
            # Migration 0016's (tests/issues/selectors/test_dashboard_weeks.py).
            "issues_defect_dashboard_weeks": "O",
            "issues_defect_dashboard_weeks_update": "O",
            "issues_defect_dashboard_weeks_truncate": "O",
        }
