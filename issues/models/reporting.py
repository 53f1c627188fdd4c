"""One-time tokens of the report form: a double submit finds the defect the first one made."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportSubmission(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("bruker"),
    )
    token = models.CharField(_("skjemanøkkel"), max_length=64)
    defect = models.ForeignKey(
        "issues.Defect",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sak"),
    )
    created_at = models.DateTimeField(_("sendt"))

    class Meta:
        verbose_name = _("innsendt skjema")
        verbose_name_plural = _("innsendte skjemaer")
        constraints = [
            models.UniqueConstraint(fields=["user", "token"], name="report_submission_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.token}"
