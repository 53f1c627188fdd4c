"""Writes for personal API tokens: create (the secret is shown once) and revoke."""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from issues.models import ApiToken, User
from issues.models.api_tokens import TOKEN_PREFIX, hash_token
from issues.personal_data import mask

MAX_ACTIVE_TOKENS = 20
MAX_NAME_LENGTH = 100


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token; returns it with the raw secret, which is never stored and shown only once."""
    name = mask(name.strip())
    if not name:
        raise ValidationError({"name": _("Gi nøkkelen et navn.")})
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError({"name": _("Navnet kan være på høyst 100 tegn.")})
    with transaction.atomic():
        # Lock the user row so two parallel requests cannot both pass the limit.
        User.objects.select_for_update().filter(pk=user.pk).first()
        active = ApiToken.objects.filter(user=user, revoked__isnull=True).count()
        if active >= MAX_ACTIVE_TOKENS:
            raise ValidationError(
                {"name": _("Du har for mange aktive nøkler. Trekk tilbake en du ikke bruker.")}
            )
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = ApiToken.objects.create(
            user=user,
            name=name,
            token_hash=hash_token(raw),
            hint=raw[len(TOKEN_PREFIX) : len(TOKEN_PREFIX) + 6],
            created=timezone.now(),
        )
    return token, raw


def api_token_revoke(*, user: User, token_id: int) -> ApiToken:
    """Revoke one of the user's own tokens; someone else's token looks like a missing one."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(pk=token_id, user=user).first()
        if token is None:
            raise ApiToken.DoesNotExist
        if token.revoked is None:
            token.revoked = timezone.now()
            token.save(update_fields=["revoked"])
    return token
