"""What happens around a defect: comments, attachments, "affects us too", follows, transitions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from issues.vocabulary import DefectStatus


class Comment(models.Model):
    defect = models.ForeignKey(
        "issues.Defect", on_delete=models.CASCADE, related_name="comments", verbose_name=_("sak")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="comments",
        verbose_name=_("forfatter"),
    )
    body = models.TextField(_("tekst"))
    internal = models.BooleanField(
        _("intern"),
        default=False,
        help_text=_("Synlig bare for forvaltningsteamet og DFØ-kontakt."),
    )
    created_at = models.DateTimeField(_("skrevet"))
    # Set when a merge moved the comment here from a duplicate; the text is never changed.
    moved_from = models.ForeignKey(
        "issues.Defect",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("flyttet fra"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("kommentar")
        verbose_name_plural = _("kommentarer")
        indexes = [models.Index(fields=["defect", "created_at"], name="comment_defect_idx")]

    def __str__(self) -> str:
        return f"{self.author_id}@{self.created_at:%Y-%m-%d}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    # The user's file name is kept only as metadata; the stored name reveals nothing.
    return f"attachments/{instance.defect_id}/{instance.sha256[:2]}/{instance.sha256}"


class Attachment(models.Model):
    defect = models.ForeignKey(
        "issues.Defect",
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("sak"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="attachments",
        verbose_name=_("lastet opp av"),
    )
    file = models.FileField(_("fil"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("filnavn"), max_length=255)
    content_type = models.CharField(_("innholdstype"), max_length=120)
    size = models.PositiveIntegerField(_("størrelse"))
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("lastet opp"))
    moved_from = models.ForeignKey(
        "issues.Defect",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("flyttet fra"),
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("vedlegg")
        verbose_name_plural = _("vedlegg")

    def __str__(self) -> str:
        return self.original_name


class AffectsUs(models.Model):
    """ "Gjelder oss også": one record per user on a defect, with the user's institution."""

    defect = models.ForeignKey(
        "issues.Defect", on_delete=models.CASCADE, related_name="affects", verbose_name=_("sak")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="affects",
        verbose_name=_("bruker"),
    )
    institution = models.ForeignKey(
        "issues.Institution",
        on_delete=models.PROTECT,
        related_name="affects",
        verbose_name=_("institusjon"),
    )
    created_at = models.DateTimeField(_("registrert"))

    class Meta:
        verbose_name = _("gjelder oss også")
        verbose_name_plural = _("gjelder oss også")
        constraints = [
            models.UniqueConstraint(fields=["defect", "user"], name="affects_once_per_user")
        ]
        indexes = [
            models.Index(fields=["institution", "defect"], name="affects_inst_idx"),
            # A defect's records per institution, as the dashboard's triggers count them when a
            # defect comes, goes or changes hands (0016, 0019): read from the index alone.
            models.Index(fields=["defect", "institution"], name="affects_defect_inst_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.defect_id}:{self.institution_id}"


class Follow(models.Model):
    defect = models.ForeignKey(
        "issues.Defect", on_delete=models.CASCADE, related_name="follows", verbose_name=_("sak")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="follows",
        verbose_name=_("bruker"),
    )
    created_at = models.DateTimeField(_("følger fra"))

    class Meta:
        verbose_name = _("følger")
        verbose_name_plural = _("følgere")
        constraints = [models.UniqueConstraint(fields=["defect", "user"], name="follow_once")]
        indexes = [models.Index(fields=["user", "defect"], name="follow_user_idx")]

    def __str__(self) -> str:
        return f"{self.user_id}->{self.defect_id}"


class HistoryKind(models.TextChoices):
    TRANSITION = "transition", _("statusendring")
    # The kept defect's record of a merge: its status does not change, so it is no transition.
    MERGED_IN = "merged_in", _("sammenslåing")


class StatusChange(models.Model):
    """One event on a defect's timeline: a workflow transition, or a duplicate merged into it.

    A transition always changes the status (a database constraint says so); "newly reported"
    and the like are read from the first transition into a status, never from a merge.
    """

    defect = models.ForeignKey(
        "issues.Defect",
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("sak"),
    )
    from_status = models.CharField(
        _("fra"), max_length=20, choices=DefectStatus.choices, blank=True
    )
    to_status = models.CharField(_("til"), max_length=20, choices=DefectStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("utført av"),
    )
    at = models.DateTimeField(_("tidspunkt"))
    note = models.TextField(_("merknad"), blank=True)
    kind = models.CharField(
        _("hendelse"), max_length=20, choices=HistoryKind, default=HistoryKind.TRANSITION
    )
    # For a merge: the duplicate that was merged into this defect.
    merged_from = models.ForeignKey(
        "issues.Defect",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("slått sammen fra"),
    )

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="transition", from_status=models.F("to_status")),
                name="statuschange_transition_changes_status",
            )
        ]
        verbose_name = _("statusendring")
        verbose_name_plural = _("statusendringer")
        indexes = [
            models.Index(fields=["defect", "at"], name="statuschange_defect_idx"),
            models.Index(fields=["at"], name="statuschange_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.defect_id}: {self.from_status} -> {self.to_status}"
