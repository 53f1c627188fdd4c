"""Errors raised by services; views and the API turn them into messages in the user's language."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from issues.models import DefectStatus


class TransitionNotAllowed(ValidationError):
    def __init__(self, *, from_status: str, to_status: str, allowed: Iterable[str]) -> None:

        labels = dict(DefectStatus.choices)
        allowed_labels = [str(labels.get(s, s)) for s in allowed]
        self.from_status = from_status
        self.to_status = to_status
        self.allowed = tuple(allowed)
        if allowed_labels:
            message = _(
                "Kan ikke gå fra «%(from)s» til «%(to)s». Tillatte overganger: %(allowed)s."
            )
        else:
            message = _("Kan ikke gå fra «%(from)s» til «%(to)s». Ingen overganger er tillatt.")
        super().__init__(
            message,
            code="transition_not_allowed",
            params={
                "from": labels.get(from_status, from_status),
                "to": labels.get(to_status, to_status),
                "allowed": ", ".join(allowed_labels),
            },
        )


class ConcurrentEdit(Exception):
    """Someone saved the defect after the caller read it; nothing was written."""

    def __init__(self, *, expected_version: int, current_version: int, changed: list[str]) -> None:
        self.expected_version = expected_version
        self.current_version = current_version
        self.changed = changed
        super().__init__(
            format_lazy(
                _(
                    "Saken er endret av noen andre siden du åpnet den (versjon {current}, "
                    "du hadde versjon {expected}). Ingenting er lagret."
                ),
                current=current_version,
                expected=expected_version,
            )
        )


class RoleRequired(PermissionDenied):
    """A page only some roles may open; the 403 page names the role.

    It carries no message on purpose: ``domain_errors`` turns a PermissionDenied *with* a reason
    into a 400, and this one must stay a 403.
    """

    def __init__(self, role: str | Promise) -> None:
        super().__init__()
        self.role = role
