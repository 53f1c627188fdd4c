"""Spreadsheet imports: uploaded files between dry run and confirmation, the batches that were
imported, which defect came from which row, and DFØ's status words."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from issues.models.defects import DefectStatus


class ImportKind(models.TextChoices):
    DEFECTS = "defects", _("Feilliste")
    DFO_ANSWERS = "dfo_answers", _("Svar fra DFØ")


class ImportUpload(models.Model):
    """A file kept between the dry run and the confirmation (never in the session).

    The bytes live in MEDIA_ROOT under their SHA-256; only the uploader opens the upload again.
    """

    kind = models.CharField(_("type"), max_length=20, choices=ImportKind)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    original_name = models.CharField(_("filnavn"), max_length=200)
    size = models.PositiveBigIntegerField(_("størrelse (byte)"))
    stored_name = models.CharField(_("lagret som"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("lastet opp av"),
    )
    uploaded_at = models.DateTimeField(_("lastet opp"))

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("opplastet fil")
        verbose_name_plural = _("opplastede filer")

    def __str__(self) -> str:
        return self.original_name


class ImportBatch(models.Model):
    """One confirmed import. The unique file hash is what makes a second import of the same file
    create nothing: the insert of the batch row fails inside the same transaction."""

    kind = models.CharField(_("type"), max_length=20, choices=ImportKind)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    file_name = models.CharField(_("filnavn"), max_length=200)
    row_count = models.PositiveIntegerField(_("rader"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("importert av"),
    )
    created_at = models.DateTimeField(_("importert"))
    mapping = models.JSONField(_("kolonner og verdier"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("importert fil")
        verbose_name_plural = _("importerte filer")
        constraints = [
            models.UniqueConstraint(fields=["kind", "sha256"], name="import_batch_unique_file")
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"


class ImportedDefect(models.Model):
    """The row of a batch a defect came from."""

    batch = models.ForeignKey(
        ImportBatch, on_delete=models.PROTECT, related_name="rows", verbose_name=_("import")
    )
    defect = models.OneToOneField(
        "issues.Defect",
        on_delete=models.CASCADE,
        related_name="import_source",
        verbose_name=_("sak"),
    )
    source_row = models.PositiveIntegerField(_("rad i filen"))

    class Meta:
        ordering = ["batch", "source_row"]
        verbose_name = _("importert rad")
        verbose_name_plural = _("importerte rader")
        constraints = [
            models.UniqueConstraint(fields=["batch", "source_row"], name="imported_row_unique")
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.source_row}"


class DfoStatusWord(models.Model):
    """A status word in DFØ's answer sheets and the status it means here; kept by the liaison."""

    word = models.CharField(_("DFØs ord"), max_length=80, unique=True)
    status = models.CharField(_("status her"), max_length=20, choices=DefectStatus.choices)

    class Meta:
        ordering = ["word"]
        verbose_name = _("statusord fra DFØ")
        verbose_name_plural = _("statusord fra DFØ")

    def __str__(self) -> str:
        return self.word

    def save(self, *args: object, **kwargs: object) -> None:
        # Matched case-insensitively and without surrounding space: store it that way.
        self.word = " ".join(self.word.split()).casefold()
        super().save(*args, **kwargs)  # type: ignore[arg-type]
