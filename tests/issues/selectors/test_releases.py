"""Release counts against an oracle: the same generated events are replayed in plain Python."""

import datetime as dt
import random
from collections import Counter, defaultdict
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from issues import workflow
from issues.models import Defect, DefectStatus, FixConfirmation, Release, User
from issues.selectors.releases import overdue_releases, release_rows
from issues.services.confirmations import confirmation_confirm, confirmation_dispute
from issues.services.defects import defect_transition
from issues.services.participation import affects_us_add
from issues.services.releases import release_create
from tests.factories import make_defect, make_user

pytestmark = pytest.mark.django_db

CODES = ("UiO", "UiB", "NTNU", "UiT")


def _fix(defect: Defect, liaison: User) -> Defect:
    return defect_transition(defect=defect, actor=liaison, to_status=DefectStatus.FIXED)


def _answer_round(
    rng: random.Random, defect: Defect, people: dict[str, User], round_: dict[str, str]
) -> bool:
    """Answer some of the round's rows at random, in the app and in ``round_``; True if disputed."""
    for code in rng.sample(sorted(round_), len(round_)):
        choice = rng.choice(["confirm", "confirm", "dispute", "none", "none"])
        row = FixConfirmation.objects.get(defect=defect, institution__code=code, state="waiting")
        if choice == "confirm":
            confirmation_confirm(confirmation=row, actor=people[code])
            round_[code] = "confirmed"
        elif choice == "dispute":
            confirmation_dispute(confirmation=row, actor=people[code], note="Virker ikke")
            round_[code] = "disputed"
            for other, state in round_.items():
                if state == "waiting":
                    round_[other] = "lapsed"
            return True
    return False


def _generate(seed: int, manager: User, liaison: User) -> dict[str, Any]:
    rng = random.Random(seed)
    people = {code: make_user("reporter", institution=code) for code in CODES}
    releases = [
        release_create(
            name=f"R{seed}-a", expected_date=timezone.localdate() - dt.timedelta(days=5)
        ),
        release_create(
            name=f"R{seed}-b", expected_date=timezone.localdate() + dt.timedelta(days=30)
        ),
    ]
    truth: list[dict[str, Any]] = []
    for n in range(9):
        reporter_code = rng.choice(CODES)
        confidential = n == 0
        defect = make_defect(people[reporter_code], confidential=confidential, title=f"Sak {n}")
        # Nobody else can see a confidential defect, so nobody else can say it affects them.
        others = 0 if confidential else rng.randint(0, 2)
        affected = {reporter_code} | set(rng.sample(CODES, others))
        for code in affected - {reporter_code}:
            affects_us_add(defect=defect, user=people[code])
        release = rng.choice(releases)
        Defect.objects.filter(pk=defect.pk).update(target_release=release)
        defect = defect_transition(defect=defect, actor=manager, to_status=DefectStatus.TRIAGED)
        defect = defect_transition(defect=defect, actor=manager, to_status=DefectStatus.REPORTED)
        record: dict[str, Any] = {
            "release": release.pk,
            "reporter": reporter_code,
            "confidential": confidential,
            "fixed": False,
            "round": {},
        }
        if rng.random() < 0.8:
            defect = _fix(defect, liaison)
            record["round"] = dict.fromkeys(affected, "waiting")
            disputed = _answer_round(rng, defect, people, record["round"])
            record["fixed"] = not disputed
            if disputed and rng.random() < 0.5:
                defect = Defect.objects.get(pk=defect.pk)
                defect = defect_transition(
                    defect=defect, actor=manager, to_status=DefectStatus.REPORTED
                )
                _fix(defect, liaison)
                record["round"] = dict.fromkeys(affected, "waiting")
                record["fixed"] = True
        truth.append(record)
    return {"people": people, "releases": releases, "truth": truth}


def _oracle(truth: list[dict[str, Any]], sees_confidential: bool) -> dict[int, Any]:
    out: dict[int, Any] = defaultdict(
        lambda: {"promised": 0, "delivered": 0, "unis": defaultdict(Counter)}
    )
    for record in truth:
        if record["confidential"] and not sees_confidential:
            continue
        entry = out[record["release"]]
        entry["promised"] += 1
        entry["delivered"] += record["fixed"]
        for code, state in record["round"].items():
            entry["unis"][code][state] += 1
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_release_counts_match_the_replayed_events(seed: int, manager: User, liaison: User) -> None:
    world = _generate(seed, manager, liaison)
    # UiB's reporter does not see the confidential defect (unless UiB reported it).
    viewers = [(manager, True), (world["people"]["UiB"], world["truth"][0]["reporter"] == "UiB")]
    for viewer, sees_confidential in viewers:
        expected = _oracle(world["truth"], sees_confidential)
        rows = {r.release.pk: r for r in release_rows(user=viewer)}
        for release in world["releases"]:
            row, want = rows[release.pk], expected[release.pk]
            assert (row.promised, row.delivered) == (want["promised"], want["delivered"])
            assert row.unfixed == row.promised - row.delivered
            got = {
                u.code: Counter(
                    {
                        k: v
                        for k, v in (
                            ("confirmed", u.confirmed),
                            ("disputed", u.disputed),
                            ("waiting", u.waiting),
                            ("lapsed", u.unanswered),
                        )
                        if v
                    }
                )
                for u in row.universities
            }
            assert got == {k: +v for k, v in want["unis"].items() if +v}
        late, future = world["releases"]
        assert rows[late.pk].overdue is (rows[late.pk].unfixed > 0)
        assert rows[future.pk].overdue is False
        # The meeting view's lighter count agrees with the release pages.
        assert {r.release.pk: r.unfixed for r in overdue_releases(user=viewer)} == {
            pk: row.unfixed for pk, row in rows.items() if row.overdue
        }


def test_overdue_rule(reporter: User, manager: User, liaison: User) -> None:
    today = dt.date(2026, 12, 1)
    late = Release.objects.create(name="late", expected_date=dt.date(2026, 11, 1))
    delivered_late = Release.objects.create(
        name="delivered", expected_date=dt.date(2026, 10, 1), delivered_date=dt.date(2026, 11, 20)
    )
    kept = Release.objects.create(name="kept", expected_date=dt.date(2026, 11, 1))
    upcoming = Release.objects.create(name="upcoming", expected_date=dt.date(2026, 12, 20))
    for release in (late, delivered_late, upcoming):
        d = make_defect(reporter)
        Defect.objects.filter(pk=d.pk).update(target_release=release)
    done = make_defect(reporter)
    Defect.objects.filter(pk=done.pk).update(target_release=kept, status=DefectStatus.FIXED)
    names = [r.release.name for r in overdue_releases(user=manager, today=today)]
    assert names == ["delivered", "late"]


def test_the_awaiting_index_covers_the_awaiting_statuses() -> None:
    """The index's condition is written out in the model; it must stay the workflow's set."""
    index = next(i for i in Defect._meta.indexes if i.name == "defect_release_awaiting_idx")
    assert index.condition is not None
    assert index.condition.children == [("status__in", sorted(workflow.AWAITING_FIX_STATUSES))]


@pytest.mark.postgres
def test_the_overdue_count_can_read_the_awaiting_index_alone(manager: User) -> None:
    """PostgreSQL uses a partial index only when it can prove the query implies its condition."""
    release = Release.objects.create(name="late", expected_date=dt.date(2020, 1, 1))
    Defect.objects.filter(pk=make_defect().pk).update(target_release=release)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        queries = []

        def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            queries.append((sql, params))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            assert [r.unfixed for r in overdue_releases(user=manager)] == [1]
        sql, params = next(q for q in queries if "COUNT(*)" in q[0])
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "defect_release_awaiting_idx" in plan
