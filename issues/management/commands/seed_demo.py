"""Deterministic, realistic demo data. Demo users are created only here (see README for logins).

Fast enough for 100,000 defects: rows are built in memory and written with bulk_create in
batches; the password hash is computed once and shared by the demo users.
"""

import datetime as dt
import json
import random
import time
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, models, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from issues.demo.text import COMMENTS, FIRST_NAMES, LAST_NAMES, TEXTS
from issues.models import (
    AffectsUs,
    Area,
    Category,
    Comment,
    Defect,
    DefectKind,
    DefectStatus,
    Follow,
    Institution,
    Meeting,
    MeetingKind,
    OrgUnit,
    Release,
    StatusChange,
    System,
    User,
)
from issues.permissions import GROUP_LIAISON, GROUP_MANAGEMENT, GROUP_REPORTER
from priorities.ranking import weekly_cost
from priorities.rules import FACT_NAMES, classify

DEMO_PASSWORD = "bott-demo"  # noqa: S105 - documented demo login, created only by this command
GO_LIVE = dt.datetime(2021, 5, 1, 8, 0, tzinfo=dt.UTC)
BATCH = 5000

S = DefectStatus
PATHS: dict[str, list[str]] = {
    S.NEW: [S.NEW],
    S.TRIAGED: [S.NEW, S.TRIAGED],
    S.REPORTED: [S.NEW, S.TRIAGED, S.REPORTED],
    S.IN_PROGRESS: [S.NEW, S.TRIAGED, S.REPORTED, S.IN_PROGRESS],
    S.FIXED: [S.NEW, S.TRIAGED, S.REPORTED, S.IN_PROGRESS, S.FIXED],
    S.VERIFIED: [S.NEW, S.TRIAGED, S.REPORTED, S.FIXED, S.VERIFIED],
    S.CLOSED: [S.NEW, S.TRIAGED, S.REPORTED, S.FIXED, S.VERIFIED, S.CLOSED],
    S.REJECTED: [S.NEW, S.REJECTED],
    S.DUPLICATE: [S.NEW, S.DUPLICATE],
    S.REOPENED: [S.NEW, S.TRIAGED, S.REPORTED, S.FIXED, S.REOPENED],
}
STATUS_WEIGHTS = {
    S.NEW: 10,
    S.TRIAGED: 15,
    S.REPORTED: 15,
    S.IN_PROGRESS: 12,
    S.FIXED: 8,
    S.VERIFIED: 5,
    S.CLOSED: 20,
    S.REJECTED: 5,
    S.DUPLICATE: 5,
    S.REOPENED: 5,
}
AREA_WEIGHTS = {
    "BTB": 30,
    "TILGANG": 18,
    "TOA": 18,
    "PROSJEKT": 6,
    "BUDSJETT": 6,
    "REGNSKAP": 6,
    "RAPPORT": 6,
    "OPPLAERING": 5,
    "NETTSIDER": 5,
}
AREA_SYSTEMS = {
    "BTB": ["unit4"],
    "TILGANG": ["gjestereg", "web", "unit4", "sap"],
    "TOA": ["selvbetjening", "dfo_app", "signering", "sap"],
    "PROSJEKT": ["unit4"],
    "BUDSJETT": ["unit4"],
    "REGNSKAP": ["unit4"],
    "RAPPORT": ["unit4", "sap"],
    "OPPLAERING": ["annet"],
    "NETTSIDER": ["web"],
}
# Which facts tend to be "yes" per area, so tiers look like the real mix.
AREA_FACTS = {
    "BTB": ["blocks_supplier_payment", "blocks_delivery", "extra_work_local", "frustration"],
    "TILGANG": ["blocks_pay", "extra_work_local", "extra_work_central", "frustration"],
    "TOA": ["blocks_pay", "extra_work_local", "frustration"],
    "PROSJEKT": ["blocks_reporting", "extra_work_local"],
    "BUDSJETT": ["blocks_reporting", "extra_work_central"],
    "REGNSKAP": ["blocks_reporting", "extra_work_central"],
    "RAPPORT": ["blocks_reporting", "extra_work_central"],
    "OPPLAERING": ["frustration", "extra_work_local"],
    "NETTSIDER": ["frustration"],
}


class _Writer:
    """Bulk writes: COPY on PostgreSQL (ids drawn from the sequence first), bulk_create elsewhere."""

    def __init__(self) -> None:
        self.pg = connection.vendor == "postgresql"

    def assign_ids(self, model: type[models.Model], objs: list[Any]) -> None:
        if not self.pg or not objs:
            return
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, len(objs)],
            )
            for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
                obj.pk = pk

    def insert(self, model: type[models.Model], objs: list[Any]) -> None:
        if not objs:
            return
        if not self.pg:
            model.objects.bulk_create(objs, batch_size=BATCH)  # type: ignore[attr-defined]
            return
        fields = [
            f for f in model._meta.concrete_fields if not (f.primary_key and objs[0].pk is None)
        ]
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        json_fields = {f.attname for f in fields if isinstance(f, models.JSONField)}
        sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for obj in objs:
                copy.write_row(
                    [
                        json.dumps(getattr(obj, f.attname))
                        if f.attname in json_fields
                        else getattr(obj, f.attname)
                        for f in fields
                    ]
                )

    def insert_defects(self, defects: list[Defect]) -> None:
        if not self.pg:
            bulk_create_with_history(defects, Defect, batch_size=BATCH)
            return
        self.assign_ids(Defect, defects)
        self.insert(Defect, defects)
        history_model = Defect.history.model
        rows = [
            history_model(
                **{
                    f.attname: getattr(d, f.attname)
                    for f in history_model._meta.concrete_fields
                    if not f.attname.startswith("history_")
                },
                history_date=d.created_at,
                history_type="+",
                history_user_id=d.reporter_id,
            )
            for d in defects
        ]
        self.insert(history_model, rows)


class Command(BaseCommand):
    help = (
        "Load deterministic demo data: users in each role, defects, comments, releases, meetings."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--defects", type=int, default=300)
        parser.add_argument("--comments-per-defect", type=float, default=5.0)
        parser.add_argument("--seed", type=int, default=2021)
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing if any defect already exists."
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["if_empty"] and Defect.objects.exists():
            self.stdout.write("Demo data already loaded; nothing to do.")
            return
        started = time.monotonic()
        rng = random.Random(opts["seed"])
        self.writer = _Writer()
        self._earlier: list[int] = list(
            Defect.objects.order_by("-pk").values_list("pk", flat=True)[:5000]
        )
        with transaction.atomic():
            users = self._users(rng)
            releases = self._releases()
            self._meetings()
        count = self._defects(rng, users, releases, opts["defects"], opts["comments_per_defect"])
        self.stdout.write(
            self.style.SUCCESS(f"Loaded {count} defects in {time.monotonic() - started:.1f} s.")
        )

    # -- reference-ish data -----------------------------------------------------------------

    def _users(self, rng: random.Random) -> dict[str, list[User]]:
        password = make_password(DEMO_PASSWORD)
        groups = {
            name: Group.objects.get(name=name)
            for name in (GROUP_REPORTER, GROUP_MANAGEMENT, GROUP_LIAISON)
        }
        institutions = list(Institution.objects.order_by("code"))
        units = {
            i.pk: list(OrgUnit.objects.filter(institution=i).order_by("code")) for i in institutions
        }

        def make(username: str, group: str | None, inst: Institution | None, **extra: Any) -> User:
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            user, _created = User.objects.update_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@demo.invalid",
                    "password": password,
                    "institution": inst,
                    "unit": units[inst.pk][0] if inst and units[inst.pk] else None,
                    **extra,
                },
            )
            if group:
                user.groups.add(groups[group])
            return user

        result: dict[str, list[User]] = {"reporters": [], "management": [], "liaison": []}
        make("admin", None, institutions[0], is_staff=True, is_superuser=True)
        for inst in institutions:
            code = inst.code.lower()
            result["reporters"].append(make(f"melder.{code}", GROUP_REPORTER, inst))
            result["management"].append(make(f"forvaltning.{code}", GROUP_MANAGEMENT, inst))
            for n in range(1, 6):
                result["reporters"].append(make(f"rekvirent{n}.{code}", GROUP_REPORTER, inst))
        result["liaison"].append(make("dfo.kontakt", GROUP_LIAISON, institutions[0]))
        return result

    def _releases(self) -> list[Release]:
        specs = [
            ("2021.2 høst", dt.date(2021, 11, 15), dt.date(2021, 11, 29)),
            ("2022.1 vår", dt.date(2022, 4, 1), dt.date(2022, 4, 20)),
            ("2022.2 høst", dt.date(2022, 10, 15), dt.date(2022, 10, 15)),
            ("2023.1", dt.date(2023, 5, 1), dt.date(2023, 6, 2)),
            ("2024.1", dt.date(2024, 3, 1), dt.date(2024, 3, 1)),
            ("2025.1", dt.date(2025, 4, 1), dt.date(2025, 5, 12)),
            ("2026.2 høst", dt.date(2026, 10, 1), None),
            ("2027.1 vår", dt.date(2027, 3, 15), None),
        ]
        releases = []
        for name, expected, delivered in specs:
            release, _created = Release.objects.get_or_create(
                name=name, defaults={"expected_date": expected, "delivered_date": delivered}
            )
            releases.append(release)
        return releases

    def _meetings(self) -> None:
        if Meeting.objects.exists():
            return
        tz = timezone.get_default_timezone()
        meetings = []
        day = dt.date(2021, 6, 3)
        end = timezone.localdate() + dt.timedelta(days=60)
        week = 0
        while day <= end:
            at = dt.datetime.combine(day, dt.time(10, 0), tzinfo=tz)
            meetings.append(
                Meeting(kind=MeetingKind.OPERATIONS, starts_at=at, title="Driftsmøte UiO–DFØ")
            )
            if week % 4 == 0:
                meetings.append(
                    Meeting(
                        kind=MeetingKind.ESCALATION,
                        starts_at=at + dt.timedelta(hours=3),
                        title="Eskaleringsmøte BOTT–DFØ",
                    )
                )
            if week % 13 == 0:
                meetings.append(
                    Meeting(
                        kind=MeetingKind.DIRECTORS,
                        starts_at=at + dt.timedelta(days=1),
                        title="Økonomidirektørene og DFØs ledelse",
                    )
                )
            day += dt.timedelta(days=14)
            week += 2
        Meeting.objects.bulk_create(meetings)

    # -- defects ----------------------------------------------------------------------------

    def _defects(
        self,
        rng: random.Random,
        users: dict[str, list[User]],
        releases: list[Release],
        total: int,
        comments_per_defect: float,
    ) -> int:
        now = timezone.now()
        span_seconds = int((now - GO_LIVE).total_seconds())
        areas = {a.code: a for a in Area.objects.all()}
        categories: dict[int, list[Category]] = {}
        for c in Category.objects.all():
            categories.setdefault(c.area_id, []).append(c)
        systems = {s.code: s for s in System.objects.all()}
        units: dict[int, list[OrgUnit]] = {}
        for u in OrgUnit.objects.all():
            units.setdefault(u.institution_id, []).append(u)
        institutions = list(Institution.objects.order_by("code"))
        reporters = users["reporters"]
        managers = users["management"]
        liaison = users["liaison"][0]
        area_codes = list(AREA_WEIGHTS)
        area_w = list(AREA_WEIGHTS.values())
        statuses = list(STATUS_WEIGHTS)
        status_w = list(STATUS_WEIGHTS.values())
        upcoming = [r for r in releases if r.delivered_date is None]

        done = 0
        while done < total:
            n = min(BATCH, total - done)
            defects: list[Defect] = []
            plans: list[tuple[list[str], list[dt.datetime]]] = []
            for i in range(n):
                code = rng.choices(area_codes, area_w)[0]
                area = areas[code]
                titles, descriptions, workarounds = TEXTS[code]
                reporter = rng.choice(reporters)
                inst = reporter.institution or institutions[0]
                created = GO_LIVE + dt.timedelta(seconds=int(span_seconds * rng.random() ** 0.7))
                status = rng.choices(statuses, status_w)[0]
                path = PATHS[status]
                # Transition times spread between creation and now, in order.
                times = sorted(
                    created + (now - created) * rng.random() for _unused in range(len(path) - 1)
                )
                times = [created, *times]
                facts = dict.fromkeys(FACT_NAMES, False)
                for fact in AREA_FACTS[code]:
                    if rng.random() < 0.3:
                        facts[fact] = True
                result = classify(facts)
                hours = Decimal(rng.choice([0, 0.5, 1, 2, 3, 5, 8]))
                people = rng.choice([1, 2, 3, 5, 10, 20, 40, 120])
                override = rng.random() < 0.03 and status != S.NEW
                has_workaround = rng.random() < 0.45
                defect = Defect(
                    title=f"{rng.choice(titles)} ({inst.code})"
                    if rng.random() < 0.3
                    else rng.choice(titles),
                    description="\n\n".join(rng.sample(descriptions, min(2, len(descriptions)))),
                    kind=rng.choices(
                        [DefectKind.BUG, DefectKind.MISSING, DefectKind.CHANGE], [6, 3, 1]
                    )[0],
                    area=area,
                    category=rng.choice(categories[area.pk]),
                    system=systems[rng.choice(AREA_SYSTEMS[code])],
                    institution=inst,
                    unit=rng.choice(units.get(inst.pk, [None])),
                    reporter=reporter,
                    owner=rng.choice(managers)
                    if status not in (S.NEW,) and rng.random() < 0.6
                    else None,
                    extra_hours_per_week=hours,
                    people_affected=people,
                    weekly_cost=weekly_cost(hours, people),
                    workaround=rng.choice(workarounds) if has_workaround else "",
                    workaround_hours_per_week=Decimal(rng.choice([1, 2, 4, 8, 16]))
                    if has_workaround
                    else None,
                    deadline=(created + dt.timedelta(days=rng.randint(14, 240))).date()
                    if rng.random() < 0.2
                    else None,
                    status=status,
                    rule_tier=result.tier,
                    rule_reasons=[r.as_dict() for r in result.reasons],
                    tier_override=(result.tier % 3) + 1 if override else None,
                    override_reason="Forvaltningsteamet vurderer konsekvensen annerledes."
                    if override
                    else "",
                    override_by=rng.choice(managers) if override else None,
                    override_at=times[-1] if override else None,
                    tier=((result.tier % 3) + 1) if override else result.tier,
                    dfo_reference=f"DFØ-{2021 + i % 6}-{rng.randint(1000, 99999)}"
                    if S.REPORTED in path
                    else "",
                    target_release=(
                        rng.choice(upcoming if status in (S.REPORTED, S.IN_PROGRESS) else releases)
                        if S.REPORTED in path and rng.random() < 0.6
                        else None
                    ),
                    confidential=rng.random() < 0.04,
                    version=1,
                    created_at=created,
                    updated_at=times[-1],
                    **facts,
                )
                for st, at in zip(path, times, strict=True):
                    if st == S.TRIAGED:
                        defect.triaged_at = at
                    elif st == S.REPORTED:
                        defect.reported_to_dfo_at = at
                    elif st == S.FIXED:
                        defect.fixed_at = at
                    elif st in (S.CLOSED, S.REJECTED, S.DUPLICATE):
                        defect.closed_at = at
                defects.append(defect)
                plans.append((path, times))
            with transaction.atomic():
                self._write_batch(
                    rng, defects, plans, reporters, managers, liaison, comments_per_defect
                )
            done += n
            if total >= 20_000:
                self.stdout.write(f"  {done}/{total}")
        return done

    def _write_batch(
        self,
        rng: random.Random,
        defects: list[Defect],
        plans: list[tuple[list[str], list[dt.datetime]]],
        reporters: list[User],
        managers: list[User],
        liaison: User,
        comments_per_defect: float,
    ) -> None:
        now = timezone.now()
        # "Affects us too" and duplicates are decided before the insert so counts land in one go.
        affects_plan: list[list[User]] = []
        for defect in defects:
            chosen: list[User] = []
            if rng.random() < 0.3:
                chosen = [
                    u
                    for u in rng.sample(reporters, rng.randint(1, 4))
                    if u.pk != defect.reporter_id
                ]
            affects_plan.append(chosen)
            defect.affects_count = len(chosen)
            defect.institutions_affected = len(
                {defect.institution_id, *(u.institution_id for u in chosen)}
            )
            if defect.status == S.DUPLICATE:
                if self._earlier:
                    defect.duplicate_of_id = rng.choice(self._earlier[-5000:])
                else:
                    defect.status = S.REJECTED
                    plans[defects.index(defect)][0][-1] = S.REJECTED
        self.writer.insert_defects(defects)
        self._earlier.extend(d.pk for d in defects)

        changes: list[StatusChange] = []
        comments: list[Comment] = []
        follows: list[Follow] = []
        affects: list[AffectsUs] = []
        for defect, (path, times), chosen in zip(defects, plans, affects_plan, strict=True):
            prev = ""
            for st, at in zip(path, times, strict=True):
                actor = (
                    defect.reporter_id
                    if st in (S.NEW, S.VERIFIED)
                    else liaison.pk
                    if st in (S.IN_PROGRESS, S.FIXED)
                    else rng.choice(managers).pk
                )
                changes.append(
                    StatusChange(
                        defect_id=defect.pk,
                        from_status=prev,
                        to_status=st,
                        actor_id=actor,
                        at=at,
                        note="",
                    )
                )
                prev = st
            follows.append(
                Follow(
                    defect_id=defect.pk, user_id=defect.reporter_id, created_at=defect.created_at
                )
            )
            for user in chosen:
                affects.append(
                    AffectsUs(
                        defect_id=defect.pk,
                        user_id=user.pk,
                        institution_id=user.institution_id or defect.institution_id,
                        created_at=defect.created_at + dt.timedelta(days=rng.randint(0, 30)),
                    )
                )
            n_comments = (
                min(round(rng.expovariate(1 / comments_per_defect)), 40)
                if comments_per_defect
                else 0
            )
            for _unused in range(n_comments):
                internal = rng.random() < 0.1
                comments.append(
                    Comment(
                        defect_id=defect.pk,
                        author_id=rng.choice(managers).pk if internal else rng.choice(reporters).pk,
                        body=rng.choice(COMMENTS),
                        internal=internal,
                        created_at=defect.created_at + (now - defect.created_at) * rng.random(),
                    )
                )
        for model, objs in (
            (StatusChange, changes),
            (Follow, follows),
            (AffectsUs, affects),
            (Comment, comments),
        ):
            self.writer.insert(model, objs)
