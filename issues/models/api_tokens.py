"""Personal API tokens: only a SHA-256 hash is stored; the token itself is shown once."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "bott_"  # noqa: S105 - a visible marker, not a secret


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("bruker"),
    )
    name = models.CharField(_("navn"), max_length=100)
    # A high-entropy random token needs no slow hash: SHA-256 is enough and allows a unique lookup.
    token_hash = models.CharField(_("hash av nøkkel"), max_length=64, unique=True)
    # The first characters after the prefix, so a user can tell their tokens apart.
    hint = models.CharField(_("start på nøkkel"), max_length=16)
    created = models.DateTimeField(_("opprettet"))
    last_used = models.DateTimeField(_("sist brukt"), null=True, blank=True)
    revoked = models.DateTimeField(_("trukket tilbake"), null=True, blank=True)

    class Meta:
        ordering = ["-created", "id"]
        verbose_name = _("API-nøkkel")
        verbose_name_plural = _("API-nøkler")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.name}"

    @property
    def is_active(self) -> bool:
        return self.revoked is None
