from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person using the tracker; institution and unit prefill the report form."""

    institution = models.ForeignKey(
        "issues.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("institusjon"),
    )
    unit = models.ForeignKey(
        "issues.OrgUnit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("enhet"),
    )
    # The Feide identity (``user@realm``, without the ``feide:`` prefix) is the stable key of a
    # person who logs in with Feide; NULL for local accounts, so several of those may exist.
    feide_id = models.CharField(
        _("Feide-identitet"), max_length=254, unique=True, null=True, blank=True, default=None
    )

    class Meta:
        verbose_name = _("bruker")
        verbose_name_plural = _("brukere")

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username
