"""Routines (rutiner): local step-by-step procedures that work around defects until DFØ fixes them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

TITLE_MAX_LENGTH = 200
BODY_MAX_LENGTH = 50_000


class Routine(models.Model):
    title = models.CharField(_("tittel"), max_length=TITLE_MAX_LENGTH)
    # Markdown, rendered through issues.rendering (sanitised) wherever it is shown.
    body = models.TextField(_("rutine"), max_length=BODY_MAX_LENGTH)
    institution = models.ForeignKey(
        "issues.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="routines",
        verbose_name=_("institusjon"),
        help_text=_("Tom: felles for alle institusjonene."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_routines",
        verbose_name=_("eier"),
    )
    defects = models.ManyToManyField(
        "issues.Defect", blank=True, related_name="routines", verbose_name=_("saker")
    )
    # Set when a linked defect is fixed or verified; cleared by an edit or a "still right" review.
    needs_review = models.BooleanField(_("må gjennomgås"), default=False)
    review_reason = models.CharField(_("hvorfor gjennomgå"), max_length=300, blank=True)
    flagged_at = models.DateTimeField(_("flagget"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("sist gjennomgått"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gjennomgått av"),
    )
    version = models.PositiveIntegerField(_("versjon"), default=1)
    created_at = models.DateTimeField(_("opprettet"))
    updated_at = models.DateTimeField(_("sist endret"))

    history = HistoricalRecords(excluded_fields=["flagged_at"])

    class Meta:
        ordering = ["-needs_review", "title", "id"]
        verbose_name = _("rutine")
        verbose_name_plural = _("rutiner")
        indexes = [models.Index(fields=["needs_review", "owner"], name="routine_review_idx")]

    def __str__(self) -> str:
        return self.title
