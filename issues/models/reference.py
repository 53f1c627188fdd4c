"""Reference data: seeded by a data migration, edited by administrators in the admin."""

from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class LocalizedName(models.Model):
    name_nb = models.CharField(_("navn (bokmål)"), max_length=200)
    name_en = models.CharField(_("navn (engelsk)"), max_length=200, blank=True)
    active = models.BooleanField(_("aktiv"), default=True)
    order = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if (get_language() or "nb").startswith("en") and self.name_en:
            return self.name_en
        return self.name_nb


class Institution(models.Model):
    code = models.CharField(_("kode"), max_length=20, unique=True)
    name = models.CharField(_("navn"), max_length=200)
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("institusjon")
        verbose_name_plural = _("institusjoner")

    def __str__(self) -> str:
        return self.code


class FeideRealm(models.Model):
    """A Feide realm (the part after ``@`` in ``user@uio.no``) and the institution it belongs to.

    Data, not code: an institution that gets a second realm is one row in the admin.
    """

    realm = models.CharField(_("Feide-realm"), max_length=100, unique=True)
    institution = models.ForeignKey(
        Institution,
        on_delete=models.CASCADE,
        related_name="feide_realms",
        verbose_name=_("institusjon"),
    )

    class Meta:
        ordering = ["realm"]
        verbose_name = _("Feide-realm")
        verbose_name_plural = _("Feide-realmer")

    def __str__(self) -> str:
        return self.realm

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Realms are compared in lower case (Feide identities are case-insensitive).
        self.realm = self.realm.strip().lower()
        super().save(*args, **kwargs)


class OrgUnit(models.Model):
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="units", verbose_name=_("institusjon")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("overordnet enhet"),
    )
    code = models.CharField(_("kode"), max_length=40)
    name = models.CharField(_("navn"), max_length=200)
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        ordering = ["institution__code", "name"]
        verbose_name = _("enhet")
        verbose_name_plural = _("enheter")
        constraints = [
            models.UniqueConstraint(fields=["institution", "code"], name="orgunit_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.institution_id and self.institution.code})"


class Area(LocalizedName):
    code = models.CharField(_("kode"), max_length=20, unique=True)
    description = models.TextField(_("beskrivelse"), blank=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("område")
        verbose_name_plural = _("områder")


class Category(LocalizedName):
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="categories", verbose_name=_("område")
    )
    code = models.CharField(_("kode"), max_length=40)

    class Meta:
        ordering = ["area__order", "order", "code"]
        verbose_name = _("kategori")
        verbose_name_plural = _("kategorier")
        constraints = [
            models.UniqueConstraint(fields=["area", "code"], name="category_unique_code")
        ]


class System(LocalizedName):
    code = models.CharField(_("kode"), max_length=40, unique=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("system")
        verbose_name_plural = _("systemer")


class RecurringDeadline(models.Model):
    """A deadline that comes back every month (the payroll run, a supplier payment run): data,
    edited in the admin. A defect tied to one counts towards its next occurrence."""

    name = models.CharField(_("navn"), max_length=120, unique=True)
    day_of_month = models.PositiveSmallIntegerField(
        _("dag i måneden"),
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text=_("I korte måneder gjelder siste dag i måneden."),
    )
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        ordering = ["day_of_month", "name"]
        verbose_name = _("fast frist")
        verbose_name_plural = _("faste frister")

    def __str__(self) -> str:
        return self.name
