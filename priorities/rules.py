"""The BOTT three-tier priority rule, as data and one pure function.

Source: "Forbedringer av kritiske feil og mangler prioriteres i tett dialog med DFØ og BOTT"
(shared/seed). Tier 1 is the highest. No ORM, no I/O: callers pass plain answers.
"""

from collections.abc import Mapping
from dataclasses import dataclass

TIER_1 = 1
TIER_2 = 2
TIER_3 = 3
TIERS = (TIER_1, TIER_2, TIER_3)
DEFAULT_TIER = TIER_3

TIER_LABELS: Mapping[int, Mapping[str, str]] = {
    TIER_1: {
        "nb": "Nivå 1 – hindrer virksomhetskritiske leveranser",
        "en": "Tier 1 – blocks business-critical deliveries",
    },
    TIER_2: {
        "nb": "Nivå 2 – betydelig merarbeid på fakultet/institutt",
        "en": "Tier 2 – significant extra work at faculty/institute",
    },
    TIER_3: {
        "nb": "Nivå 3 – frustrasjon eller merarbeid sentralt",
        "en": "Tier 3 – frustration or extra work centrally",
    },
}


def tier_label(tier: int, language: str) -> str:
    return TIER_LABELS[tier]["en" if language.startswith("en") else "nb"]


@dataclass(frozen=True)
class Fact:
    name: str
    tier: int
    question_nb: str
    question_en: str
    reason_nb: str
    reason_en: str

    def question(self, language: str) -> str:
        return self.question_en if language.startswith("en") else self.question_nb


FACTS: tuple[Fact, ...] = (
    Fact(
        "blocks_pay",
        TIER_1,
        "Hindrer feilen rett lønn til rett person til rett tid?",
        "Does the defect prevent the right pay to the right person at the right time?",
        "Hindrer rett lønn til rett person til rett tid",
        "Prevents the right pay to the right person at the right time",
    ),
    Fact(
        "blocks_delivery",
        TIER_1,
        "Hindrer feilen rett leveranse av rett vare eller tjeneste til rett person til rett tid?",
        "Does it prevent the right delivery of the right goods or service to the right person "
        "at the right time?",
        "Hindrer rett leveranse av rett vare/tjeneste til rett person til rett tid",
        "Prevents the right delivery of the right goods/service to the right person at the right time",
    ),
    Fact(
        "blocks_supplier_payment",
        TIER_1,
        "Hindrer feilen betaling til leverandører innen frist?",
        "Does it prevent payment to suppliers within the deadline?",
        "Hindrer betaling til leverandører innen frist",
        "Prevents payment to suppliers within the deadline",
    ),
    Fact(
        "blocks_reporting",
        TIER_1,
        "Hindrer feilen interne rapporter eller rapportering til myndighetene?",
        "Does it prevent internal reports or reporting to the authorities?",
        "Hindrer interne rapporter eller myndighetsrapportering",
        "Prevents internal reports or reporting to the authorities",
    ),
    Fact(
        "extra_work_local",
        TIER_2,
        "Gir feilen betydelig merarbeid for fagadministrative roller på fakultet eller institutt?",
        "Does it cause significant extra work for administrative roles at faculty or institute?",
        "Gir betydelig merarbeid for fagadministrative roller på fakultet/institutt",
        "Causes significant extra work for administrative roles at faculty/institute",
    ),
    Fact(
        "extra_work_central",
        TIER_3,
        "Gir feilen betydelig merarbeid sentralt?",
        "Does it cause significant extra work centrally?",
        "Gir betydelig merarbeid sentralt",
        "Causes significant extra work centrally",
    ),
    Fact(
        "frustration",
        TIER_3,
        "Gir feilen stor frustrasjon for fagadministrative roller på fakultet eller institutt?",
        "Does it cause great frustration for administrative roles at faculty or institute?",
        "Gir stor frustrasjon for fagadministrative roller på fakultet/institutt",
        "Causes great frustration for administrative roles at faculty/institute",
    ),
)
FACT_NAMES: tuple[str, ...] = tuple(f.name for f in FACTS)
FACTS_BY_NAME: Mapping[str, Fact] = {f.name: f for f in FACTS}

NO_YES_REASON_NB = "Ingen av spørsmålene er besvart med ja: nivå 3 som standard"
NO_YES_REASON_EN = "No question was answered yes: tier 3 by default"


@dataclass(frozen=True)
class Reason:
    """One answer that decided the tier; ``fact`` is None for the no-yes default."""

    fact: str | None
    nb: str
    en: str

    def text(self, language: str) -> str:
        return self.en if language.startswith("en") else self.nb

    def as_dict(self) -> dict[str, str | None]:
        return {"fact": self.fact, "nb": self.nb, "en": self.en}


@dataclass(frozen=True)
class Classification:
    tier: int
    reasons: tuple[Reason, ...]

    @property
    def deciding_facts(self) -> tuple[str, ...]:
        return tuple(r.fact for r in self.reasons if r.fact is not None)


def classify(facts: Mapping[str, bool]) -> Classification:
    """Derive the tier from the yes/no answers.

    Precondition: keys are fact names from ``FACT_NAMES``; a missing key means "no". An unknown key
    is a programming error and raises ``ValueError`` rather than being silently ignored.
    """
    unknown = set(facts) - set(FACT_NAMES)
    if unknown:
        raise ValueError(f"Unknown facts: {', '.join(sorted(unknown))}")
    yes = [f for f in FACTS if bool(facts.get(f.name, False))]
    if not yes:
        return Classification(DEFAULT_TIER, (Reason(None, NO_YES_REASON_NB, NO_YES_REASON_EN),))
    tier = min(f.tier for f in yes)
    reasons = tuple(Reason(f.name, f.reason_nb, f.reason_en) for f in yes if f.tier == tier)
    return Classification(tier, reasons)
