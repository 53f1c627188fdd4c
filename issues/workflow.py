"""The defect life cycle: every allowed transition and who may make it, in one table, and the
groups of statuses the rest of the app asks about (open, closed, known, untriaged ...)."""

from collections.abc import Mapping
from typing import Literal

from issues.vocabulary import DefectStatus as S

Role = Literal["reporter", "management", "liaison"]
MANAGEMENT: frozenset[Role] = frozenset({"management"})
MANAGEMENT_LIAISON: frozenset[Role] = frozenset({"management", "liaison"})
WITH_REPORTER: frozenset[Role] = frozenset({"management", "reporter"})

# from-status -> {to-status: roles that may make it}. "reporter" means the defect's own reporter.
TRANSITIONS: Mapping[str, Mapping[str, frozenset[Role]]] = {
    S.NEW: {S.TRIAGED: MANAGEMENT, S.REJECTED: MANAGEMENT, S.DUPLICATE: MANAGEMENT},
    S.TRIAGED: {
        S.REPORTED: MANAGEMENT_LIAISON,
        S.REJECTED: MANAGEMENT,
        S.DUPLICATE: MANAGEMENT,
        S.CLOSED: MANAGEMENT,
    },
    S.REPORTED: {
        S.IN_PROGRESS: MANAGEMENT_LIAISON,
        S.FIXED: MANAGEMENT_LIAISON,
        S.REJECTED: MANAGEMENT_LIAISON,
        S.DUPLICATE: MANAGEMENT,
    },
    S.IN_PROGRESS: {S.FIXED: MANAGEMENT_LIAISON, S.REJECTED: MANAGEMENT_LIAISON},
    S.FIXED: {S.VERIFIED: WITH_REPORTER, S.REOPENED: WITH_REPORTER},
    S.VERIFIED: {S.CLOSED: MANAGEMENT, S.REOPENED: WITH_REPORTER},
    S.CLOSED: {S.REOPENED: WITH_REPORTER},
    S.REJECTED: {S.REOPENED: MANAGEMENT},
    S.DUPLICATE: {S.REOPENED: MANAGEMENT},
    S.REOPENED: {
        S.TRIAGED: MANAGEMENT,
        S.REPORTED: MANAGEMENT_LIAISON,
        S.REJECTED: MANAGEMENT,
        S.DUPLICATE: MANAGEMENT,
    },
}

# A duplicate points elsewhere and a rejected defect is not a defect.
DISCARDED_STATUSES = frozenset({S.REJECTED, S.DUPLICATE})
# Statuses in which a defect no longer needs work.
CLOSED_STATUSES = DISCARDED_STATUSES | {S.CLOSED}
OPEN_STATUSES = frozenset(S.values) - CLOSED_STATUSES
# Known defects are those the management team has looked at.
KNOWN_STATUSES = frozenset(S.values) - DISCARDED_STATUSES - {S.NEW}
# DFØ has delivered a fix (whether or not it has been verified yet).
FIXED_STATUSES = frozenset({S.FIXED, S.VERIFIED, S.CLOSED})
# Open and still waiting for DFØ's fix.
AWAITING_FIX_STATUSES = OPEN_STATUSES - FIXED_STATUSES
# Nobody has triaged these yet; the queue shows them first. A tuple in a fixed order: the triage
# queue's index is built on it (models.triage.untriaged_first), and a set's order varies.
UNTRIAGED_STATUSES: tuple[str, ...] = (S.NEW.value, S.REOPENED.value)


def allowed_targets(from_status: str, roles: frozenset[Role]) -> tuple[str, ...]:
    """Targets reachable from ``from_status`` by someone holding any of ``roles``."""
    return tuple(t for t, who in TRANSITIONS.get(from_status, {}).items() if who & roles)
