"""The defect life cycle: every allowed transition and who may make it, in one table."""

from collections.abc import Mapping
from typing import Literal

from issues.models.defects import DefectStatus as S

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

# Statuses in which a defect no longer needs work.
CLOSED_STATUSES = frozenset({S.CLOSED, S.REJECTED, S.DUPLICATE})
OPEN_STATUSES = frozenset(S.values) - CLOSED_STATUSES
# Known defects are those the management team has looked at.
KNOWN_STATUSES = frozenset(S.values) - {S.NEW, S.REJECTED, S.DUPLICATE}


def allowed_targets(from_status: str, roles: frozenset[Role]) -> tuple[str, ...]:
    """Targets reachable from ``from_status`` by someone holding any of ``roles``."""
    return tuple(t for t, who in TRANSITIONS.get(from_status, {}).items() if who & roles)
