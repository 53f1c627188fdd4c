from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from issues.models.triage import untriaged_first
from issues.vocabulary import (
    EXTRA_HOURS_PER_WEEK,
    PEOPLE_AFFECTED,
    TIER_CHOICES,
    TITLE_MAX_LENGTH,
    WORKAROUND_HOURS_PER_WEEK,
    DefectKind,
    DefectStatus,
)
from priorities.rules import FACT_NAMES, TIERS

KEY_PREFIX = "BOTT-"


def _due_index(*prefix: Any, name: str, include: list[str] | None = None) -> models.Index:
    """The defects with their own deadline and no recurring one, by tier and deadline then the
    rank order, after ``prefix``."""
    return models.Index(
        *prefix,
        "tier",
        "deadline",
        F("weekly_cost").desc(),
        F("institutions_affected").desc(),
        "created_at",
        "id",
        name=name,
        include=include,
        condition=models.Q(recurring_deadline__isnull=True, deadline__isnull=False),
    )


class Defect(models.Model):
    title = models.CharField(_("tittel"), max_length=TITLE_MAX_LENGTH)
    description = models.TextField(_("beskrivelse"), blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=DefectKind, default=DefectKind.BUG)
    area = models.ForeignKey(
        "issues.Area", on_delete=models.PROTECT, related_name="defects", verbose_name=_("område")
    )
    category = models.ForeignKey(
        "issues.Category",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="defects",
        verbose_name=_("kategori"),
    )
    system = models.ForeignKey(
        "issues.System",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="defects",
        verbose_name=_("system"),
    )
    institution = models.ForeignKey(
        "issues.Institution",
        on_delete=models.PROTECT,
        related_name="defects",
        verbose_name=_("institusjon"),
    )
    unit = models.ForeignKey(
        "issues.OrgUnit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="defects",
        verbose_name=_("enhet"),
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="reported_defects",
        verbose_name=_("melder"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_defects",
        verbose_name=_("prosessansvarlig"),
    )

    # The seven facts of the priority rule; names fixed by priorities.rules.FACT_NAMES.
    blocks_pay = models.BooleanField(_("hindrer rett lønn"), default=False)
    blocks_delivery = models.BooleanField(_("hindrer rett leveranse"), default=False)
    blocks_supplier_payment = models.BooleanField(
        _("hindrer betaling til leverandører"), default=False
    )
    blocks_reporting = models.BooleanField(_("hindrer rapportering"), default=False)
    extra_work_local = models.BooleanField(_("merarbeid på fakultet/institutt"), default=False)
    extra_work_central = models.BooleanField(_("merarbeid sentralt"), default=False)
    frustration = models.BooleanField(_("stor frustrasjon"), default=False)

    extra_hours_per_week = models.DecimalField(
        _("ekstra timer per uke (per person)"),
        max_digits=EXTRA_HOURS_PER_WEEK.max_digits,
        decimal_places=EXTRA_HOURS_PER_WEEK.decimal_places,
        default=Decimal(0),
        validators=EXTRA_HOURS_PER_WEEK.validators(),
    )
    people_affected = models.PositiveIntegerField(
        _("antall berørte personer"), default=1, validators=PEOPLE_AFFECTED.validators()
    )
    # hours × people, kept in a column because the queue sorts on it.
    weekly_cost = models.DecimalField(
        _("kostnad per uke (timer)"), max_digits=12, decimal_places=2, default=Decimal(0)
    )
    institutions_affected = models.PositiveSmallIntegerField(_("berørte institusjoner"), default=1)
    affects_count = models.PositiveIntegerField(_("«gjelder oss også»"), default=0)

    workaround = models.TextField(_("midlertidig løsning"), blank=True)
    workaround_hours_per_week = models.DecimalField(
        _("kostnad for midlertidig løsning (timer per uke)"),
        max_digits=WORKAROUND_HOURS_PER_WEEK.max_digits,
        decimal_places=WORKAROUND_HOURS_PER_WEEK.decimal_places,
        null=True,
        blank=True,
        validators=WORKAROUND_HOURS_PER_WEEK.validators(),
    )
    deadline = models.DateField(_("frist"), null=True, blank=True)
    recurring_deadline = models.ForeignKey(
        "issues.RecurringDeadline",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="defects",
        verbose_name=_("fast frist"),
        help_text=_("For eksempel den månedlige lønnskjøringen."),
    )

    status = models.CharField(
        _("status"), max_length=20, choices=DefectStatus, default=DefectStatus.NEW
    )
    rule_tier = models.PositiveSmallIntegerField(
        _("nivå etter regelen"), choices=TIER_CHOICES, default=3
    )
    rule_reasons = models.JSONField(_("begrunnelse fra regelen"), default=list, blank=True)
    tier_override = models.PositiveSmallIntegerField(
        _("overstyrt nivå"), choices=TIER_CHOICES, null=True, blank=True
    )
    override_reason = models.TextField(_("begrunnelse for overstyring"), blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("overstyrt av"),
    )
    override_at = models.DateTimeField(_("overstyrt"), null=True, blank=True)
    # The effective tier (override or rule), kept in a column because the queue filters on it.
    tier = models.PositiveSmallIntegerField(_("nivå"), choices=TIER_CHOICES, default=3)

    dfo_reference = models.CharField(_("DFØ-referanse"), max_length=60, blank=True)
    target_release = models.ForeignKey(
        "issues.Release",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="defects",
        verbose_name=_("planlagt release"),
    )
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplikat av"),
    )
    confidential = models.BooleanField(_("fortrolig"), default=False)
    version = models.PositiveIntegerField(_("versjon"), default=1)

    created_at = models.DateTimeField(_("meldt"), db_index=True)
    updated_at = models.DateTimeField(_("sist endret"))
    triaged_at = models.DateTimeField(_("vurdert"), null=True, blank=True)
    reported_to_dfo_at = models.DateTimeField(_("meldt til DFØ"), null=True, blank=True)
    fixed_at = models.DateTimeField(_("rettet"), null=True, blank=True)
    closed_at = models.DateTimeField(_("lukket"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["tier", "-weekly_cost", "-institutions_affected", "deadline", "created_at"]
        verbose_name = _("feil/mangel")
        verbose_name_plural = _("feil og mangler")
        indexes = [
            models.Index(
                fields=["tier", "-weekly_cost", "-institutions_affected", "deadline", "created_at"],
                name="defect_rank_idx",
            ),
            models.Index(fields=["status", "tier"], name="defect_status_tier_idx"),
            models.Index(fields=["area", "status"], name="defect_area_status_idx"),
            models.Index(fields=["reporter", "-created_at"], name="defect_reporter_idx"),
            models.Index(fields=["updated_at"], name="defect_updated_idx"),
            # The triage queue: untriaged first, then the rank order (issues.selectors_triage).
            models.Index(
                untriaged_first(),
                "tier",
                F("weekly_cost").desc(),
                F("institutions_affected").desc(),
                "deadline",
                "created_at",
                "id",
                name="defect_triage_queue_idx",
                # With these the deadline order (issues.selectors.deadlines) is an index-only
                # scan: 100,000 defects, first page's ids 10.5 -> 2.4 ms.
                include=["status", "recurring_deadline"],
            ),
            # Columns the triage queue sorts on; (column, id) serves both directions.
            models.Index(fields=["weekly_cost", "id"], name="defect_cost_sort_idx"),
            models.Index(fields=["affects_count", "id"], name="defect_affects_sort_idx"),
            models.Index(fields=["tier", "id"], name="defect_tier_sort_idx"),
            models.Index(fields=["created_at", "id"], name="defect_age_sort_idx"),
            # The dashboard's open-defect charts read only this index (index-only scan).
            models.Index(
                fields=["status", "area", "tier"],
                include=["created_at", "workaround_hours_per_week"],
                name="defect_dashboard_idx",
            ),
            # The queue filtered to one status: the rank order inside it, so the first page is
            # the first rows of the index rather than a walk past every other status (issue 17).
            models.Index(
                "status",
                "tier",
                F("weekly_cost").desc(),
                F("institutions_affected").desc(),
                "deadline",
                "created_at",
                "id",
                name="defect_status_rank_idx",
                include=["recurring_deadline"],
            ),
            # The queue's "due" part (issues.selectors.queue_order): defects with their own
            # deadline, by deadline inside the tier, so a page of them is read in index order;
            # after "untriaged first", after one status, and alone for the meeting agenda's and
            # the digest's deadline lists over several statuses (read from the index).
            _due_index(untriaged_first(), name="defect_queue_due_idx"),
            _due_index("status", name="defect_status_due_idx"),
            _due_index(name="defect_due_idx", include=["status"]),
            # The meeting view counts the defects waiting for a fix per target release: an
            # index-only scan of just those rows instead of visiting every defect with a release.
            # The condition is the query's own (``status IN`` the awaiting statuses): PostgreSQL
            # cannot prove that from a ``NOT IN`` of the others.
            models.Index(
                fields=["target_release"],
                condition=models.Q(
                    status__in=["in_progress", "new", "reopened", "reported_to_dfo", "triaged"]
                ),
                name="defect_release_awaiting_idx",
            ),
            # The dashboard counts a user's own confidential defects (those the aggregates of
            # migrations 0014 and 0016 cannot tell apart by reporter): an index-only scan of just
            # those (closed_at for the per-week chart, 0016; the id, which the counts read, 0018).
            models.Index(
                fields=["reporter"],
                include=[
                    "id",
                    "status",
                    "area",
                    "tier",
                    "created_at",
                    "workaround_hours_per_week",
                    "closed_at",
                ],
                condition=models.Q(confidential=True),
                name="defect_own_confidential_idx",
            ),
            models.Index(fields=["closed_at"], name="defect_closed_idx"),
            models.Index(fields=["reported_to_dfo_at"], name="defect_reported_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(tier__in=TIERS), name="defect_tier_valid"),
            models.CheckConstraint(
                condition=models.Q(tier_override__isnull=True) | models.Q(tier_override__in=TIERS),
                name="defect_override_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(duplicate_of=models.F("id")), name="defect_not_own_duplicate"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.title}"

    def get_absolute_url(self) -> str:

        return reverse("issues:defect_detail", kwargs={"pk": self.pk})

    @property
    def key(self) -> str:
        return f"{KEY_PREFIX}{self.pk}"

    @staticmethod
    def pk_from_key(key: str) -> int | None:
        """``BOTT-123`` or ``123`` to 123; anything else to None."""
        text = key.strip().upper().removeprefix(KEY_PREFIX)
        return int(text) if text.isdigit() else None

    @property
    def facts(self) -> dict[str, bool]:
        return {name: bool(getattr(self, name)) for name in FACT_NAMES}

    @property
    def is_overridden(self) -> bool:
        return self.tier_override is not None

    def reason_texts(self, language: str | None = None) -> list[str]:
        """The rule's reasons in ``language`` (default: the active one, as templates need)."""
        key = "en" if (language or get_language() or "nb").startswith("en") else "nb"
        return [str(r.get(key, "")) for r in self.rule_reasons if isinstance(r, dict)]
