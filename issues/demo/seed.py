"""Loading the demo data set: users, releases and meetings, then the defects in batches, each
batch with its activity in one transaction."""

import datetime as dt
import random
import time
from collections.abc import Callable
from functools import partial

from django.db import transaction
from django.utils import timezone

from issues.demo.activity import activity_rows, draw_participants
from issues.demo.defects import Catalogue, Plan, draw_defect, load_catalogue
from issues.demo.distributions import DUPLICATE_OF_RECENT
from issues.demo.schedule import demo_meetings, demo_releases
from issues.demo.users import demo_users
from issues.demo.writer import (
    BATCH,
    BulkWriter,
    analyse,
    dashboard_counts_deferred,
    foreign_keys_deferred,
    indexes_deferred,
)
from issues.models import (
    AffectsUs,
    Comment,
    DashboardAffects,
    DashboardAge,
    DashboardClosed,
    DashboardCount,
    Defect,
    Follow,
    StatusChange,
)

# Report progress after each batch when loading at least this many defects.
PROGRESS_FROM = 20_000
# From this many defects the secondary indexes are built after the load, not kept up per row.
DEFER_INDEXES_FROM = 50_000
LOADED = (Defect, Defect.history.model, StatusChange, Follow, AffectsUs, Comment)
# Kept by triggers on the defects and their "affects us too" records (migrations 0014 and 0016);
# rebuilt once after a deferred load.
AGGREGATES = (DashboardCount, DashboardAge, DashboardClosed, DashboardAffects)


def load_demo(
    *, seed: int, defects: int, comments_per_defect: float, progress: Callable[[str], None]
) -> int:
    """Load ``defects`` demo defects with their activity; returns how many were written.

    The same seed on the same database gives the same rows in the same order. Users, releases
    and meetings are created or updated, never duplicated.
    """
    started = time.monotonic()
    rng = random.Random(seed)
    writer = BulkWriter()
    # The ids a duplicate may point at: the most recent defects, already written or not.
    earlier = list(
        Defect.objects.order_by("-pk").values_list("pk", flat=True)[:DUPLICATE_OF_RECENT]
    )
    with transaction.atomic():
        users = demo_users(rng)
        releases = demo_releases()
        demo_meetings()
    catalogue = load_catalogue(users, releases)
    tables = [m._meta.db_table for m in LOADED]
    load = partial(
        _load, defects=defects, comments_per_defect=comments_per_defect, progress=progress
    )
    if defects >= DEFER_INDEXES_FROM:
        # The aggregates are rebuilt after the indexes: the rebuild's scan needs none of them.
        with (
            transaction.atomic(),
            dashboard_counts_deferred(),
            indexes_deferred(tables),
            foreign_keys_deferred(tables),
        ):
            done = load(rng, writer, catalogue, earlier)
            if defects >= PROGRESS_FROM:
                progress(f"  building indexes and aggregates ({time.monotonic() - started:.0f} s)")
    else:
        done = load(rng, writer, catalogue, earlier)
    if defects >= PROGRESS_FROM:
        progress(f"  analysing ({time.monotonic() - started:.0f} s)")
    analyse([*tables, *(m._meta.db_table for m in AGGREGATES)])
    return done


def _load(
    rng: random.Random,
    writer: BulkWriter,
    catalogue: Catalogue,
    earlier: list[int],
    *,
    defects: int,
    comments_per_defect: float,
    progress: Callable[[str], None],
) -> int:
    now = timezone.now()
    done = 0
    while done < defects:
        n = min(BATCH, defects - done)
        drawn = [draw_defect(rng, catalogue, now=now, index=i) for i in range(n)]
        with transaction.atomic():
            _write_batch(
                rng,
                writer,
                catalogue,
                [defect for defect, _plan in drawn],
                [plan for _defect, plan in drawn],
                earlier=earlier,
                comments_per_defect=comments_per_defect,
            )
        done += n
        if defects >= PROGRESS_FROM:
            progress(f"  {done}/{defects}")
    return done


def _write_batch(
    rng: random.Random,
    writer: BulkWriter,
    catalogue: Catalogue,
    defects: list[Defect],
    plans: list[Plan],
    *,
    earlier: list[int],
    comments_per_defect: float,
) -> None:
    now: dt.datetime = timezone.now()
    affected = draw_participants(
        rng, defects, plans, reporters=catalogue.users.reporters, earlier=earlier
    )
    writer.insert_defects(defects)
    earlier.extend(d.pk for d in defects)
    for model, objs in activity_rows(
        rng,
        defects,
        plans,
        affected,
        users=catalogue.users,
        now=now,
        comments_per_defect=comments_per_defect,
    ):
        writer.insert(model, objs)
