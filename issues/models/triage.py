"""What the management team keeps for its weekly triage: named, optionally shared queue filters."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from issues.workflow import UNTRIAGED_STATUSES


def untriaged_first() -> models.Case:
    """0 for defects nobody has triaged yet, 1 for the rest: the queue's first sort key.

    The queue's index is built on this very expression, so keep the two identical.
    """
    return models.Case(
        models.When(status__in=UNTRIAGED_STATUSES, then=models.Value(0)),
        default=models.Value(1),
        output_field=models.IntegerField(),
    )


class SavedFilter(models.Model):
    """A named query string for the triage queue; ``shared`` shows it to the whole team."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="saved_filters",
        verbose_name=_("eier"),
    )
    name = models.CharField(_("navn"), max_length=80)
    query = models.CharField(_("filter"), max_length=2000, blank=True)
    shared = models.BooleanField(_("delt med teamet"), default=False)
    created_at = models.DateTimeField(_("opprettet"))

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("lagret filter")
        verbose_name_plural = _("lagrede filtre")
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="savedfilter_unique_name")
        ]
        indexes = [models.Index(fields=["shared", "name"], name="savedfilter_shared_idx")]

    def __str__(self) -> str:
        return self.name
