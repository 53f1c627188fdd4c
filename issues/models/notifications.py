"""What each person wants to hear about and how often, and the summaries sent per period."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from issues.models.escalation import DeliveryState


class NotificationKind(models.TextChoices):
    MY_DEFECTS = "my_defects", _("Saker jeg har meldt")
    FOLLOWED = "followed", _("Saker jeg følger")
    CONFIRMATIONS = "confirmations", _("Rettinger min institusjon skal bekrefte")
    ROUTINES = "routines", _("Rutiner jeg eier")


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("Straks")
    DAILY = "daily", _("Daglig sammendrag")
    WEEKLY = "weekly", _("Ukentlig sammendrag")
    OFF = "off", _("Av")


# Without a saved choice: what the tracker did before people could choose, and confirmations
# in one mail a day rather than one per fix.
DEFAULT_FREQUENCY = {
    NotificationKind.MY_DEFECTS: Frequency.IMMEDIATE,
    NotificationKind.FOLLOWED: Frequency.IMMEDIATE,
    NotificationKind.CONFIRMATIONS: Frequency.DAILY,
    NotificationKind.ROUTINES: Frequency.IMMEDIATE,
}


class NotificationPreference(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("bruker"),
    )
    kind = models.CharField(_("type"), max_length=20, choices=NotificationKind)
    frequency = models.CharField(_("hyppighet"), max_length=10, choices=Frequency)

    class Meta:
        verbose_name = _("varslingsvalg")
        verbose_name_plural = _("varslingsvalg")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_pref_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.kind}={self.frequency}"


class SummaryDelivery(models.Model):
    """One person's daily or weekly summary for one period: made once, sent once (the escalation
    digest's delivery protocol, per person)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("mottaker"),
    )
    frequency = models.CharField(_("hyppighet"), max_length=10, choices=Frequency)
    period_start = models.DateTimeField(_("fra"))
    period_end = models.DateTimeField(_("til"))
    email = models.EmailField(_("e-post"))
    subject = models.CharField(_("emne"), max_length=200)
    body_text = models.TextField(_("tekst"))
    state = models.CharField(
        _("tilstand"), max_length=10, choices=DeliveryState, default=DeliveryState.PENDING
    )
    message_id = models.CharField(_("Message-ID"), max_length=200)
    attempts = models.PositiveSmallIntegerField(_("forsøk"), default=0)
    last_error = models.TextField(_("siste feil"), blank=True)
    created_at = models.DateTimeField(_("laget"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sendt"), null=True, blank=True)

    class Meta:
        ordering = ["-period_start", "user"]
        verbose_name = _("sammendrag til person")
        verbose_name_plural = _("sammendrag til personer")
        constraints = [
            # Two beat ticks or two workers for the same period make one summary per person.
            models.UniqueConstraint(
                fields=["user", "frequency", "period_start"], name="summary_once_per_period"
            )
        ]
        indexes = [models.Index(fields=["state", "created_at"], name="summary_state_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.frequency} {self.period_start:%Y-%m-%d}: {self.state}"
