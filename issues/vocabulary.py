"""A defect's vocabulary, written once: its choices, the limits of its numbers and text, and which
fields each role may edit. The model, the forms, the serializers, the services and the admin
derive from it, so the web page, the API and the admin cannot drift apart.

It imports nothing from ``issues.models``: the models, ``workflow.py`` and the services all
import it, and the models import ``workflow.py``.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from priorities.rules import FACT_NAMES, TIERS


class DefectKind(models.TextChoices):
    BUG = "feil", _("Feil")
    MISSING = "mangel", _("Mangel")
    CHANGE = "endringsonske", _("Endringsønske")


class DefectStatus(models.TextChoices):
    NEW = "new", _("Ny")
    TRIAGED = "triaged", _("Vurdert")
    REPORTED = "reported_to_dfo", _("Meldt til DFØ")
    IN_PROGRESS = "in_progress", _("Under arbeid hos DFØ")
    FIXED = "fixed", _("Rettet i release")
    VERIFIED = "verified", _("Verifisert")
    CLOSED = "closed", _("Lukket")
    REJECTED = "rejected", _("Avvist")
    DUPLICATE = "duplicate", _("Duplikat")
    REOPENED = "reopened", _("Gjenåpnet")


def _tier_choice_label(tier: int) -> str:
    return gettext("Nivå %(tier)s") % {"tier": tier}


# The short label of a tier choice ("Nivå 1"; priorities.rules.tier_label is the long one). Lazy,
# so it is translated when a page renders it: one built at import time stays in the language
# active then, and English pages showed "Nivå 1".
tier_choice_label = lazy(_tier_choice_label, str)
TIER_CHOICES = [(tier, tier_choice_label(tier)) for tier in TIERS]
# Where the bare number is the label: filters and the override select.
TIER_NUMBER_CHOICES = [(tier, str(tier)) for tier in TIERS]


@dataclass(frozen=True)
class Limit:
    """The range of a number a user enters; ``max_digits`` / ``decimal_places`` for decimals."""

    min_value: int | Decimal
    max_value: int | Decimal
    max_digits: int | None = None
    decimal_places: int | None = None

    def validators(self) -> list[Any]:
        return [MinValueValidator(self.min_value), MaxValueValidator(self.max_value)]

    def field_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for a form field (and a serializer field, which reads the same)."""
        kwargs: dict[str, Any] = {"min_value": self.min_value, "max_value": self.max_value}
        if self.max_digits is not None:
            kwargs |= {"max_digits": self.max_digits, "decimal_places": self.decimal_places}
        return kwargs


HOURS_IN_A_WEEK = 168

EXTRA_HOURS_PER_WEEK = Limit(Decimal(0), Decimal(HOURS_IN_A_WEEK), max_digits=7, decimal_places=2)
PEOPLE_AFFECTED = Limit(1, 100_000)
WORKAROUND_HOURS_PER_WEEK = Limit(
    Decimal(0), Decimal(HOURS_IN_A_WEEK), max_digits=9, decimal_places=2
)
LIMITS: dict[str, Limit] = {
    "extra_hours_per_week": EXTRA_HOURS_PER_WEEK,
    "people_affected": PEOPLE_AFFECTED,
    "workaround_hours_per_week": WORKAROUND_HOURS_PER_WEEK,
}

TITLE_MIN_LENGTH = 5
TITLE_MAX_LENGTH = 200
DESCRIPTION_MAX_LENGTH = 20_000
WORKAROUND_MAX_LENGTH = 10_000
# Checked by the forms' fields and again by the defect service, so the API shares them.
TEXT_MAX_LENGTHS = {"description": DESCRIPTION_MAX_LENGTH, "workaround": WORKAROUND_MAX_LENGTH}


# Every field someone may edit, in the order the forms show them.
FIELD_ORDER = (
    "title",
    "description",
    "kind",
    "area",
    "category",
    "system",
    "institution",
    "unit",
    "extra_hours_per_week",
    "people_affected",
    "workaround",
    "workaround_hours_per_week",
    "deadline",
    "owner",
    "target_release",
    "dfo_reference",
    "confidential",
    *FACT_NAMES,
)

# How a reporter describes a defect; also what a reporter may edit until it is triaged.
REPORTER_FIELDS = frozenset(
    {
        "title",
        "description",
        "kind",
        "area",
        "category",
        "system",
        "unit",
        "extra_hours_per_week",
        "people_affected",
        "workaround",
        "workaround_hours_per_week",
        "deadline",
        "confidential",
        *FACT_NAMES,
    }
)
# What a new defect is created with (defect_create): the description and its institution.
CREATE_FIELDS = REPORTER_FIELDS | {"institution"}
MANAGEMENT_FIELDS = CREATE_FIELDS | {"owner", "target_release", "dfo_reference"}
# The DFØ liaison records DFØ's case reference and the promised release.
LIAISON_FIELDS = frozenset({"target_release", "dfo_reference"})


def ordered(fields: Iterable[str]) -> tuple[str, ...]:
    """``fields`` in the forms' order."""
    wanted = set(fields)
    unknown = wanted - set(FIELD_ORDER)
    if unknown:
        raise ValueError(f"Not in the vocabulary: {sorted(unknown)}")
    return tuple(name for name in FIELD_ORDER if name in wanted)
