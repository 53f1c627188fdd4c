"""Fix confirmation: each affected university says whether DFØ's fix works for it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ConfirmationState(models.TextChoices):
    WAITING = "waiting", _("Venter")
    CONFIRMED = "confirmed", _("Fungerer hos oss")
    DISPUTED = "disputed", _("Bestridt")
    # The round ended without an answer: the window passed, or the defect moved on.
    LAPSED = "lapsed", _("Ikke besvart")


class FixConfirmation(models.Model):
    """One university's answer to one "fixed" transition (a round); a new fix makes a new round."""

    defect = models.ForeignKey(
        "issues.Defect",
        on_delete=models.CASCADE,
        related_name="confirmations",
        verbose_name=_("sak"),
    )
    fixed_change = models.ForeignKey(
        "issues.StatusChange",
        on_delete=models.CASCADE,
        related_name="confirmations",
        verbose_name=_("rettet-endring"),
    )
    institution = models.ForeignKey(
        "issues.Institution",
        on_delete=models.PROTECT,
        related_name="confirmations",
        verbose_name=_("institusjon"),
    )
    state = models.CharField(
        _("tilstand"),
        max_length=10,
        choices=ConfirmationState,
        default=ConfirmationState.WAITING,
    )
    # The last working day of the answer window; silence until it has passed verifies the fix.
    respond_by = models.DateField(_("svarfrist"))
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("besvart av"),
    )
    answered_at = models.DateTimeField(_("besvart"), null=True, blank=True)
    note = models.TextField(_("merknad"), blank=True)
    created_at = models.DateTimeField(_("opprettet"))

    class Meta:
        ordering = ["defect", "institution__code"]
        verbose_name = _("bekreftelse av retting")
        verbose_name_plural = _("bekreftelser av retting")
        constraints = [
            models.UniqueConstraint(
                fields=["fixed_change", "institution"], name="confirmation_once_per_round"
            )
        ]
        indexes = [
            models.Index(fields=["institution", "state"], name="confirmation_inst_state_idx"),
            models.Index(fields=["state", "respond_by"], name="confirmation_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.defect_id}:{self.institution_id}:{self.state}"
