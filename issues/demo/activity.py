"""What happens around the demo defects: who else is affected, what they duplicate, the status
changes along their path, who follows them and the comments."""

import datetime as dt
import random
from typing import Any

from django.db import models

from issues.demo.defects import Plan
from issues.demo.distributions import (
    AFFECTS_MAX,
    AFFECTS_P,
    AFFECTS_WITHIN_DAYS,
    COMMENTS_MAX,
    DUPLICATE_OF_RECENT,
    INTERNAL_COMMENT_P,
    LIAISON_STEPS,
    REPORTER_STEPS,
)
from issues.demo.text import COMMENTS
from issues.demo.users import DemoUsers
from issues.models import AffectsUs, Comment, Defect, DefectStatus, Follow, StatusChange, User

S = DefectStatus


def draw_participants(
    rng: random.Random,
    defects: list[Defect],
    plans: list[Plan],
    *,
    reporters: list[User],
    earlier: list[int],
) -> list[list[User]]:
    """Before the insert: each defect's "affects us too" reporters and what a duplicate duplicates.

    The counts are set on the defects so they are written in one go. A duplicate points at one of
    the most recent ``earlier`` defect ids; with none yet, it is rejected instead.
    """
    affected_per_defect: list[list[User]] = []
    for defect, plan in zip(defects, plans, strict=True):
        affected = _draw_affected(rng, defect, reporters)
        affected_per_defect.append(affected)
        defect.affects_count = len(affected)
        defect.institutions_affected = len(
            {defect.institution_id, *(u.institution_id for u in affected)}
        )
        if defect.status == S.DUPLICATE:
            if earlier:
                defect.duplicate_of_id = rng.choice(earlier[-DUPLICATE_OF_RECENT:])
            else:
                defect.status = S.REJECTED
                plan.path[-1] = S.REJECTED
    return affected_per_defect


def _draw_affected(rng: random.Random, defect: Defect, reporters: list[User]) -> list[User]:
    if rng.random() >= AFFECTS_P:
        return []
    return [
        u for u in rng.sample(reporters, rng.randint(1, AFFECTS_MAX)) if u.pk != defect.reporter_id
    ]


def activity_rows(
    rng: random.Random,
    defects: list[Defect],
    plans: list[Plan],
    affected_per_defect: list[list[User]],
    *,
    users: DemoUsers,
    now: dt.datetime,
    comments_per_defect: float,
) -> list[tuple[type[models.Model], list[Any]]]:
    """The rows to write after the (saved) defects, per model, in the order to write them."""
    changes: list[StatusChange] = []
    comments: list[Comment] = []
    follows: list[Follow] = []
    affects: list[AffectsUs] = []
    for defect, plan, affected in zip(defects, plans, affected_per_defect, strict=True):
        changes.extend(_status_changes(rng, defect, plan, users))
        follows.append(
            Follow(defect_id=defect.pk, user_id=defect.reporter_id, created_at=defect.created_at)
        )
        affects.extend(_affects(rng, defect, affected))
        comments.extend(
            _comments(rng, defect, users, now=now, comments_per_defect=comments_per_defect)
        )
    return [(StatusChange, changes), (Follow, follows), (AffectsUs, affects), (Comment, comments)]


def _status_changes(
    rng: random.Random, defect: Defect, plan: Plan, users: DemoUsers
) -> list[StatusChange]:
    rows = []
    previous = ""
    for step, at in zip(plan.path, plan.times, strict=True):
        rows.append(
            StatusChange(
                defect_id=defect.pk,
                from_status=previous,
                to_status=step,
                actor_id=_actor_id(rng, step, defect, users),
                at=at,
                note="",
            )
        )
        previous = step
    return rows


def _actor_id(rng: random.Random, step: str, defect: Defect, users: DemoUsers) -> int:
    if step in REPORTER_STEPS:
        return defect.reporter_id
    if step in LIAISON_STEPS:
        return users.liaison.pk
    return rng.choice(users.management).pk


def _affects(rng: random.Random, defect: Defect, affected: list[User]) -> list[AffectsUs]:
    return [
        AffectsUs(
            defect_id=defect.pk,
            user_id=user.pk,
            institution_id=user.institution_id or defect.institution_id,
            created_at=defect.created_at + dt.timedelta(days=rng.randint(0, AFFECTS_WITHIN_DAYS)),
        )
        for user in affected
    ]


def _comments(
    rng: random.Random,
    defect: Defect,
    users: DemoUsers,
    *,
    now: dt.datetime,
    comments_per_defect: float,
) -> list[Comment]:
    count = 0
    if comments_per_defect:
        count = min(round(rng.expovariate(1 / comments_per_defect)), COMMENTS_MAX)
    rows = []
    for _unused in range(count):
        internal = rng.random() < INTERNAL_COMMENT_P
        author = rng.choice(users.management if internal else users.reporters)
        rows.append(
            Comment(
                defect_id=defect.pk,
                author_id=author.pk,
                body=rng.choice(COMMENTS),
                internal=internal,
                created_at=defect.created_at + (now - defect.created_at) * rng.random(),
            )
        )
    return rows
