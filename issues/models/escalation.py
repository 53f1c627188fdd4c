"""Escalation to DFØ: export log, digest recipients, digest runs and per-recipient deliveries."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"
    PDF = "pdf", "PDF"


class ExportState(models.TextChoices):
    STREAMED = "streamed", _("Levert direkte")
    QUEUED = "queued", _("I kø")
    RUNNING = "running", _("Lages")
    DONE = "done", _("Klar")
    FAILED = "failed", _("Feilet")


class ExportLog(models.Model):
    """Every export is recorded: what left the tracker, in which shape, and for whom.

    A large export is built by a Celery job into ``file``; its ``state`` says how far it got.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("eksportert av"),
    )
    created_at = models.DateTimeField(_("tidspunkt"), auto_now_add=True)
    format = models.CharField(_("format"), max_length=8, choices=ExportFormat)
    filters = models.JSONField(_("filter"), default=dict, blank=True)
    row_count = models.PositiveIntegerField(_("antall rader"))
    state = models.CharField(
        _("tilstand"), max_length=10, choices=ExportState, default=ExportState.STREAMED
    )
    rows_written = models.PositiveIntegerField(_("rader skrevet"), null=True, blank=True)
    file = models.FileField(_("fil"), upload_to="exports/", blank=True)
    error = models.TextField(_("feil"), blank=True)
    finished_at = models.DateTimeField(_("ferdig"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("eksportlogg")
        verbose_name_plural = _("eksportlogger")

    def __str__(self) -> str:
        return f"{self.format} {self.row_count} @ {self.created_at:%Y-%m-%d %H:%M}"


class DigestRecipient(models.Model):
    """The digest's mailing list. While it is empty, management and the liaison receive it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="digest_subscription",
        verbose_name=_("bruker"),
    )
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("mottaker av sammendrag")
        verbose_name_plural = _("mottakere av sammendrag")

    def __str__(self) -> str:
        return str(self.user_id)


class DigestKind(models.TextChoices):
    WEEKLY = "weekly", _("Ukentlig")
    MEETING = "meeting", _("Før møte")
    MANUAL = "manual", _("Sendt manuelt")


class DigestRun(models.Model):
    """One digest for one period or one meeting; the content is frozen when the run is made."""

    kind = models.CharField(_("type"), max_length=10, choices=DigestKind)
    period_start = models.DateTimeField(_("fra"))
    period_end = models.DateTimeField(_("til"))
    meeting = models.ForeignKey(
        "issues.Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="digest_runs",
        verbose_name=_("møte"),
    )
    created_at = models.DateTimeField(_("laget"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("laget av"),
    )
    subject = models.CharField(_("emne"), max_length=200)
    body_text = models.TextField(_("tekst"))
    body_html = models.TextField(_("HTML"))
    attachment = models.BinaryField(_("vedlegg (XLSX)"))
    attachment_name = models.CharField(_("vedleggsnavn"), max_length=120)
    finished_at = models.DateTimeField(_("ferdig sendt"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("sammendrag")
        verbose_name_plural = _("sammendrag")
        constraints = [
            # Two beat ticks (or two workers) for the same period or meeting make one run.
            models.UniqueConstraint(
                fields=["kind", "period_start", "period_end"],
                condition=models.Q(meeting__isnull=True),
                name="digestrun_unique_period",
            ),
            models.UniqueConstraint(
                fields=["meeting"],
                condition=models.Q(meeting__isnull=False),
                name="digestrun_unique_meeting",
            ),
        ]

    def __str__(self) -> str:
        return self.subject


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Venter")
    SENDING = "sending", _("Sendes")
    SENT = "sent", _("Sendt")
    SKIPPED = "skipped", _("Hoppet over")


class DigestDelivery(models.Model):
    """One recipient of one run; written before and after the SMTP conversation."""

    run = models.ForeignKey(
        DigestRun, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("sammendrag")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("mottaker"),
    )
    email = models.EmailField(_("e-post"))
    state = models.CharField(
        _("tilstand"), max_length=10, choices=DeliveryState, default=DeliveryState.PENDING
    )
    message_id = models.CharField(_("Message-ID"), max_length=200)
    attempts = models.PositiveSmallIntegerField(_("forsøk"), default=0)
    last_error = models.TextField(_("siste feil"), blank=True)
    sent_at = models.DateTimeField(_("sendt"), null=True, blank=True)

    class Meta:
        ordering = ["run", "id"]
        verbose_name = _("utsending")
        verbose_name_plural = _("utsendinger")
        constraints = [
            models.UniqueConstraint(fields=["run", "user"], name="digestdelivery_unique_user")
        ]
        indexes = [models.Index(fields=["run", "state"], name="digestdelivery_state_idx")]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.user_id}: {self.state}"
