from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from issues.models.activity import StatusChange
from issues.models.escalation import DeliveryState


class StatusMail(models.Model):
    """One status-change e-mail to one person, written in the same transaction as the change.

    The worker sends it (``issues.services.outbox``); a row the broker never heard of is found by
    the beat sweep. The protocol is the digest deliveries': pending → sending → sent, with a
    deterministic Message-ID so a resend after a crash is recognisably the same message.
    """

    status_change = models.ForeignKey(
        StatusChange,
        on_delete=models.CASCADE,
        related_name="mails",
        verbose_name=_("statusendring"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("mottaker"),
    )
    email = models.EmailField(_("e-post"))
    state = models.CharField(
        _("tilstand"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    message_id = models.CharField(_("Message-ID"), max_length=200)
    attempts = models.PositiveSmallIntegerField(_("forsøk"), default=0)
    last_error = models.TextField(_("siste feil"), blank=True)
    created_at = models.DateTimeField(_("opprettet"))
    claimed_at = models.DateTimeField(_("tatt til sending"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sendt"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("statusvarsel")
        verbose_name_plural = _("statusvarsler")
        constraints = [
            models.UniqueConstraint(fields=["status_change", "user"], name="statusmail_unique_user")
        ]
        indexes = [models.Index(fields=["state", "created_at"], name="statusmail_state_idx")]

    def __str__(self) -> str:
        return f"{self.status_change_id}/{self.user_id}: {self.state}"
