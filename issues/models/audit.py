"""Audit log: who logged in (or failed to), who exported what, who overrode a tier."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One security-relevant event. Written by ``issues.audit.audit_record`` only; never edited."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("utført av"),
    )
    # Kept as text too: a failed login has no user, and a deleted user keeps their trail.
    actor_name = models.CharField(_("brukernavn"), max_length=150, blank=True)
    action = models.CharField(_("hendelse"), max_length=60, db_index=True)
    target = models.CharField(_("gjelder"), max_length=200, blank=True)
    details = models.JSONField(_("detaljer"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP-adresse"), null=True, blank=True)
    at = models.DateTimeField(_("tidspunkt"), db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("revisjonshendelse")
        verbose_name_plural = _("revisjonslogg")
        indexes = [models.Index(fields=["actor", "-at"], name="audit_actor_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.actor_name}"
