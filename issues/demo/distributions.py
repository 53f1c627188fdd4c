"""How the demo data is distributed: weights, choices and probabilities, written once.

Changing any value here changes every generated data set (the output of a seed is
deterministic, not the seed's meaning across versions).
"""

import datetime as dt

from issues.models import DefectKind, DefectStatus

S = DefectStatus

# The day the real system went live; defects are spread from here to now.
GO_LIVE = dt.datetime(2021, 5, 1, 8, 0, tzinfo=dt.UTC)
# A defect's age is span * random() ** this: below 1, more recent defects are more common.
CREATED_SKEW = 0.7

# The workflow path each final status was reached by; its length is the number of transitions.
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
# The date field a step of the path stamps.
MILESTONE_FIELDS: dict[str, str] = {
    S.TRIAGED: "triaged_at",
    S.REPORTED: "reported_to_dfo_at",
    S.FIXED: "fixed_at",
    S.CLOSED: "closed_at",
    S.REJECTED: "closed_at",
    S.DUPLICATE: "closed_at",
}
# Who made a step: the reporter, the DFØ liaison, or else a random member of management.
REPORTER_STEPS = (S.NEW, S.VERIFIED)
LIAISON_STEPS = (S.IN_PROGRESS, S.FIXED)

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
FACT_YES_P = 0.3
KIND_WEIGHTS = {DefectKind.BUG: 6, DefectKind.MISSING: 3, DefectKind.CHANGE: 1}

# The defect's text.
TITLE_WITH_INSTITUTION_P = 0.3
DESCRIPTION_PARAGRAPHS = 2

# Cost: extra hours per week per person, people affected, the workaround.
EXTRA_HOURS = [0, 0.5, 1, 2, 3, 5, 8]
PEOPLE_AFFECTED = [1, 2, 3, 5, 10, 20, 40, 120]
WORKAROUND_P = 0.45
WORKAROUND_HOURS = [1, 2, 4, 8, 16]
DEADLINE_P = 0.2
DEADLINE_DAYS = (14, 240)

# Triage: an owner from management (not for new defects), a tier override now and then.
OWNER_P = 0.6
OVERRIDE_P = 0.03
OVERRIDE_REASON = "Forvaltningsteamet vurderer konsekvensen annerledes."
CONFIDENTIAL_P = 0.04

# Defects reported to DFØ: their reference, and a target release for some.
DFO_REFERENCE_FIRST_YEAR = 2021
DFO_REFERENCE_YEARS = 6
DFO_REFERENCE_NUMBERS = (1000, 99999)
TARGET_RELEASE_P = 0.6

# "Affects us too" from up to this many other reporters, within a month of the report.
AFFECTS_P = 0.3
AFFECTS_MAX = 4
AFFECTS_WITHIN_DAYS = 30
# Duplicates point at one of the most recent defects already written.
DUPLICATE_OF_RECENT = 5000

# Comments: exponentially distributed per defect around the requested mean, capped.
COMMENTS_MAX = 40
INTERNAL_COMMENT_P = 0.1
