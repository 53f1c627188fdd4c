"""Drawing one demo defect: its area and text, cost, triage, DFØ follow-up and workflow path.

Every value comes from the one ``random.Random`` in the order the code draws it, so the same
seed gives the same defects; reordering the draws changes every data set.
"""

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from issues.demo.distributions import (
    AREA_FACTS,
    AREA_SYSTEMS,
    AREA_WEIGHTS,
    CONFIDENTIAL_P,
    CREATED_SKEW,
    DEADLINE_DAYS,
    DEADLINE_P,
    DESCRIPTION_PARAGRAPHS,
    DFO_REFERENCE_FIRST_YEAR,
    DFO_REFERENCE_NUMBERS,
    DFO_REFERENCE_YEARS,
    EXTRA_HOURS,
    FACT_YES_P,
    GO_LIVE,
    KIND_WEIGHTS,
    MILESTONE_FIELDS,
    OVERRIDE_P,
    OVERRIDE_REASON,
    OWNER_P,
    PATHS,
    PEOPLE_AFFECTED,
    STATUS_WEIGHTS,
    TARGET_RELEASE_P,
    TITLE_WITH_INSTITUTION_P,
    WORKAROUND_HOURS,
    WORKAROUND_P,
)
from issues.demo.text import TEXTS
from issues.demo.users import DemoUsers
from issues.models import (
    Area,
    Category,
    Defect,
    DefectStatus,
    Institution,
    OrgUnit,
    Release,
    System,
    User,
)
from priorities.ranking import weekly_cost
from priorities.rules import FACT_NAMES, Classification, classify

S = DefectStatus
_AREA_CODES, _AREA_W = list(AREA_WEIGHTS), list(AREA_WEIGHTS.values())
_STATUSES, _STATUS_W = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
_KINDS, _KIND_W = list(KIND_WEIGHTS), list(KIND_WEIGHTS.values())


@dataclass(frozen=True)
class Plan:
    """The workflow steps a defect went through and when; its last step is its status."""

    path: list[str]
    times: list[dt.datetime]


@dataclass(frozen=True)
class Catalogue:
    """What defects are drawn from: the reference data, the demo users and the releases."""

    areas: dict[str, Area]
    categories: dict[int, list[Category]]
    systems: dict[str, System]
    units: dict[int, list[OrgUnit]]
    institutions: list[Institution]
    users: DemoUsers
    releases: list[Release]
    upcoming: list[Release]  # not yet delivered


def load_catalogue(users: DemoUsers, releases: list[Release]) -> Catalogue:
    areas = {a.code: a for a in Area.objects.all()}
    categories: dict[int, list[Category]] = {}
    for c in Category.objects.all():
        categories.setdefault(c.area_id, []).append(c)
    systems = {s.code: s for s in System.objects.all()}
    units: dict[int, list[OrgUnit]] = {}
    for u in OrgUnit.objects.all():
        units.setdefault(u.institution_id, []).append(u)
    return Catalogue(
        areas=areas,
        categories=categories,
        systems=systems,
        units=units,
        institutions=list(Institution.objects.order_by("code")),
        users=users,
        releases=releases,
        upcoming=[r for r in releases if r.delivered_date is None],
    )


@dataclass(frozen=True)
class _Answers:
    """Drawn before the text: the facts (so the rule's tier), the cost answers, and whether the
    defect gets a tier override and has a workaround."""

    facts: dict[str, bool]
    result: Classification
    hours: Decimal
    people: int
    override: bool
    has_workaround: bool


def draw_defect(
    rng: random.Random, catalogue: Catalogue, *, now: dt.datetime, index: int
) -> tuple[Defect, Plan]:
    """One defect reported between GO_LIVE and ``now``, not yet saved, with its workflow plan.

    ``index`` (its place in the batch) varies the year in the DFØ reference.
    """
    code = rng.choices(_AREA_CODES, _AREA_W)[0]
    reporter = rng.choice(catalogue.users.reporters)
    inst = reporter.institution or catalogue.institutions[0]
    span_seconds = int((now - GO_LIVE).total_seconds())
    created = GO_LIVE + dt.timedelta(seconds=int(span_seconds * rng.random() ** CREATED_SKEW))
    status = rng.choices(_STATUSES, _STATUS_W)[0]
    plan = _draw_plan(rng, status=status, created=created, now=now)
    answers = _draw_answers(rng, code=code, status=status)
    # The field groups are drawn in this order (it is the order of the seed's random numbers).
    text = _text_fields(rng, code=code, inst=inst)
    placement = _placement_fields(
        rng, catalogue, code=code, inst=inst, reporter=reporter, status=status
    )
    cost = _cost_fields(rng, answers, code=code, created=created)
    triage = _triage_fields(rng, catalogue, answers, status=status, plan=plan)
    follow_up = _follow_up_fields(rng, catalogue, status=status, plan=plan, index=index)
    defect = Defect(
        **text,
        **placement,
        **cost,
        **triage,
        **follow_up,
        confidential=rng.random() < CONFIDENTIAL_P,
        version=1,
        created_at=created,
        updated_at=plan.times[-1],
        **answers.facts,
    )
    for step, at in zip(plan.path, plan.times, strict=True):
        if step in MILESTONE_FIELDS:
            setattr(defect, MILESTONE_FIELDS[step], at)
    return defect, plan


def _draw_plan(rng: random.Random, *, status: str, created: dt.datetime, now: dt.datetime) -> Plan:
    # A copy: a duplicate turned into a rejection changes its own path, not the table's.
    path = list(PATHS[status])
    # Transition times spread between creation and now, in order.
    times = sorted(created + (now - created) * rng.random() for _unused in range(len(path) - 1))
    return Plan(path=path, times=[created, *times])


def _draw_answers(rng: random.Random, *, code: str, status: str) -> _Answers:
    facts = dict.fromkeys(FACT_NAMES, False)
    for fact in AREA_FACTS[code]:
        if rng.random() < FACT_YES_P:
            facts[fact] = True
    return _Answers(
        facts=facts,
        result=classify(facts),
        hours=Decimal(rng.choice(EXTRA_HOURS)),
        people=rng.choice(PEOPLE_AFFECTED),
        override=rng.random() < OVERRIDE_P and status != S.NEW,
        has_workaround=rng.random() < WORKAROUND_P,
    )


def _text_fields(rng: random.Random, *, code: str, inst: Institution) -> dict[str, Any]:
    titles, descriptions, _workarounds = TEXTS[code]
    with_institution = rng.random() < TITLE_WITH_INSTITUTION_P
    title = rng.choice(titles)
    return {
        "title": f"{title} ({inst.code})" if with_institution else title,
        "description": "\n\n".join(
            rng.sample(descriptions, min(DESCRIPTION_PARAGRAPHS, len(descriptions)))
        ),
        "kind": rng.choices(_KINDS, _KIND_W)[0],
    }


def _placement_fields(
    rng: random.Random,
    catalogue: Catalogue,
    *,
    code: str,
    inst: Institution,
    reporter: User,
    status: str,
) -> dict[str, Any]:
    """Where it belongs (area, category, system, institution, unit) and who holds it."""
    area = catalogue.areas[code]
    category = rng.choice(catalogue.categories[area.pk])
    system = catalogue.systems[rng.choice(AREA_SYSTEMS[code])]
    unit = rng.choice(catalogue.units.get(inst.pk, [None]))
    owned = status != S.NEW and rng.random() < OWNER_P
    return {
        "area": area,
        "category": category,
        "system": system,
        "institution": inst,
        "unit": unit,
        "reporter": reporter,
        "owner": rng.choice(catalogue.users.management) if owned else None,
    }


def _cost_fields(
    rng: random.Random, answers: _Answers, *, code: str, created: dt.datetime
) -> dict[str, Any]:
    _titles, _descriptions, workarounds = TEXTS[code]
    workaround = rng.choice(workarounds) if answers.has_workaround else ""
    workaround_hours = Decimal(rng.choice(WORKAROUND_HOURS)) if answers.has_workaround else None
    deadline = None
    if rng.random() < DEADLINE_P:
        deadline = (created + dt.timedelta(days=rng.randint(*DEADLINE_DAYS))).date()
    return {
        "extra_hours_per_week": answers.hours,
        "people_affected": answers.people,
        "weekly_cost": weekly_cost(answers.hours, answers.people),
        "workaround": workaround,
        "workaround_hours_per_week": workaround_hours,
        "deadline": deadline,
    }


def _triage_fields(
    rng: random.Random, catalogue: Catalogue, answers: _Answers, *, status: str, plan: Plan
) -> dict[str, Any]:
    """Status and tier; an override moves the rule's tier to the next one (3 wraps to 1)."""
    rule_tier = answers.result.tier
    override_tier = (rule_tier % 3) + 1 if answers.override else None
    return {
        "status": status,
        "rule_tier": rule_tier,
        "rule_reasons": [r.as_dict() for r in answers.result.reasons],
        "tier_override": override_tier,
        "override_reason": OVERRIDE_REASON if answers.override else "",
        "override_by": rng.choice(catalogue.users.management) if answers.override else None,
        "override_at": plan.times[-1] if answers.override else None,
        "tier": override_tier or rule_tier,
    }


def _follow_up_fields(
    rng: random.Random, catalogue: Catalogue, *, status: str, plan: Plan, index: int
) -> dict[str, Any]:
    """Once reported to DFØ: DFØ's reference and, for some, the release that should fix it."""
    if S.REPORTED not in plan.path:
        return {"dfo_reference": "", "target_release": None}
    year = DFO_REFERENCE_FIRST_YEAR + index % DFO_REFERENCE_YEARS
    reference = f"DFØ-{year}-{rng.randint(*DFO_REFERENCE_NUMBERS)}"
    target = None
    if rng.random() < TARGET_RELEASE_P:
        pending = status in (S.REPORTED, S.IN_PROGRESS)
        target = rng.choice(catalogue.upcoming if pending else catalogue.releases)
    return {"dfo_reference": reference, "target_release": target}
