from django.db import models
from django.utils.translation import gettext_lazy as _


class Release(models.Model):
    """A DFØ release: what it promised to fix and whether it did."""

    name = models.CharField(_("navn"), max_length=120, unique=True)
    expected_date = models.DateField(_("forventet dato"), null=True, blank=True)
    delivered_date = models.DateField(_("levert dato"), null=True, blank=True)
    notes = models.TextField(_("notater"), blank=True)

    class Meta:
        ordering = ["-expected_date", "name"]
        verbose_name = _("release")
        verbose_name_plural = _("releaser")

    def __str__(self) -> str:
        return self.name


class MeetingKind(models.TextChoices):
    OPERATIONS = "driftsmote", _("Driftsmøte")
    ESCALATION = "eskaleringsmote", _("Eskaleringsmøte")
    DIRECTORS = "direktormote", _("Direktørmøte")


class Meeting(models.Model):
    kind = models.CharField(_("type"), max_length=20, choices=MeetingKind)
    starts_at = models.DateTimeField(_("tidspunkt"), db_index=True)
    title = models.CharField(_("tittel"), max_length=200, blank=True)
    notes = models.TextField(_("notater"), blank=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("møte")
        verbose_name_plural = _("møter")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d}"
